using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PciPassthrough.Server.Migrations.Postgres
{
    /// <summary>A provider's update time is null until a write changes its row (a child provider as created).</summary>
    public partial class ProviderUpdatedAtNullable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<DateTime>(
                name: "UpdatedAt",
                table: "Providers",
                type: "timestamp with time zone",
                nullable: true,
                oldClrType: typeof(DateTime),
                oldType: "timestamp with time zone");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""UPDATE "Providers" SET "UpdatedAt" = now() WHERE "UpdatedAt" IS NULL;""");
            migrationBuilder.AlterColumn<DateTime>(
                name: "UpdatedAt",
                table: "Providers",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified),
                oldClrType: typeof(DateTime),
                oldType: "timestamp with time zone",
                oldNullable: true);
        }
    }
}

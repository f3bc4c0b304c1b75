using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PciPassthrough.Server.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CreationOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CreationOrder",
                table: "Providers",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

            migrationBuilder.AddColumn<long>(
                name: "CreationOrder",
                table: "CustomTrait",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

            migrationBuilder.AddColumn<long>(
                name: "CreationOrder",
                table: "CustomResourceClass",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

            // Adding the identity numbered the existing rows in storage order, which PostgreSQL does not keep as
            // insertion order: renumber them by name, the order lists had until now (the same numbers, so each
            // sequence stays past them). Other replicas wait for this migration's lock on the table.
            foreach (var (table, key) in new[] { ("Providers", "Uuid"), ("CustomTrait", "Name"), ("CustomResourceClass", "Name") })
            {
                migrationBuilder.Sql($"""
                    UPDATE "{table}" t SET "CreationOrder" = n.nr
                        FROM (SELECT "{key}", row_number() OVER (ORDER BY "Name") AS nr FROM "{table}") n WHERE t."{key}" = n."{key}";
                    """);
            }

            migrationBuilder.CreateIndex(
                name: "IX_Providers_CreationOrder",
                table: "Providers",
                column: "CreationOrder",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CustomTrait_CreationOrder",
                table: "CustomTrait",
                column: "CreationOrder",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CustomResourceClass_CreationOrder",
                table: "CustomResourceClass",
                column: "CreationOrder",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Providers_CreationOrder",
                table: "Providers");

            migrationBuilder.DropIndex(
                name: "IX_CustomTrait_CreationOrder",
                table: "CustomTrait");

            migrationBuilder.DropIndex(
                name: "IX_CustomResourceClass_CreationOrder",
                table: "CustomResourceClass");

            migrationBuilder.DropColumn(
                name: "CreationOrder",
                table: "Providers");

            migrationBuilder.DropColumn(
                name: "CreationOrder",
                table: "CustomTrait");

            migrationBuilder.DropColumn(
                name: "CreationOrder",
                table: "CustomResourceClass");
        }
    }
}

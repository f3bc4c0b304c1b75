using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PciPassthrough.Server.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Allocations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConsumerUuid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ProviderUuid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ResourceClass = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Used = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Allocations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Consumers",
                columns: table => new
                {
                    Uuid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ProjectId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    UserId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ConsumerType = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Generation = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Consumers", x => x.Uuid);
                });

            migrationBuilder.CreateTable(
                name: "CustomResourceClass",
                columns: table => new
                {
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomResourceClass", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "CustomTrait",
                columns: table => new
                {
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomTrait", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "Inventories",
                columns: table => new
                {
                    ProviderUuid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ResourceClass = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Total = table.Column<int>(type: "integer", nullable: false),
                    Reserved = table.Column<int>(type: "integer", nullable: false),
                    MinUnit = table.Column<int>(type: "integer", nullable: false),
                    MaxUnit = table.Column<int>(type: "integer", nullable: false),
                    StepSize = table.Column<int>(type: "integer", nullable: false),
                    AllocationRatio = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Inventories", x => new { x.ProviderUuid, x.ResourceClass });
                });

            migrationBuilder.CreateTable(
                name: "ProviderAggregate",
                columns: table => new
                {
                    ProviderUuid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProviderAggregate", x => new { x.ProviderUuid, x.Value });
                });

            migrationBuilder.CreateTable(
                name: "ProviderTrait",
                columns: table => new
                {
                    ProviderUuid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProviderTrait", x => new { x.ProviderUuid, x.Value });
                });

            migrationBuilder.CreateTable(
                name: "Providers",
                columns: table => new
                {
                    Uuid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Generation = table.Column<int>(type: "integer", nullable: false),
                    ParentUuid = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    RootUuid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Providers", x => x.Uuid);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Allocations_ConsumerUuid",
                table: "Allocations",
                column: "ConsumerUuid");

            migrationBuilder.CreateIndex(
                name: "IX_Allocations_ProviderUuid_ResourceClass",
                table: "Allocations",
                columns: new[] { "ProviderUuid", "ResourceClass" });

            migrationBuilder.CreateIndex(
                name: "IX_Consumers_ProjectId",
                table: "Consumers",
                column: "ProjectId");

            migrationBuilder.CreateIndex(
                name: "IX_ProviderAggregate_Value",
                table: "ProviderAggregate",
                column: "Value");

            migrationBuilder.CreateIndex(
                name: "IX_ProviderTrait_Value",
                table: "ProviderTrait",
                column: "Value");

            migrationBuilder.CreateIndex(
                name: "IX_Providers_Name",
                table: "Providers",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Providers_ParentUuid",
                table: "Providers",
                column: "ParentUuid");

            migrationBuilder.CreateIndex(
                name: "IX_Providers_RootUuid",
                table: "Providers",
                column: "RootUuid");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Allocations");

            migrationBuilder.DropTable(
                name: "Consumers");

            migrationBuilder.DropTable(
                name: "CustomResourceClass");

            migrationBuilder.DropTable(
                name: "CustomTrait");

            migrationBuilder.DropTable(
                name: "Inventories");

            migrationBuilder.DropTable(
                name: "ProviderAggregate");

            migrationBuilder.DropTable(
                name: "ProviderTrait");

            migrationBuilder.DropTable(
                name: "Providers");
        }
    }
}

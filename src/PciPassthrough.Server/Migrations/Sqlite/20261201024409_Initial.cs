using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PciPassthrough.Server.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConsumerUuid = table.Column<string>(type: "TEXT", nullable: false),
                    ProviderUuid = table.Column<string>(type: "TEXT", nullable: false),
                    ResourceClass = table.Column<string>(type: "TEXT", nullable: false),
                    Used = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Allocations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Consumers",
                columns: table => new
                {
                    Uuid = table.Column<string>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<string>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    ConsumerType = table.Column<string>(type: "TEXT", nullable: true),
                    Generation = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Consumers", x => x.Uuid);
                });

            migrationBuilder.CreateTable(
                name: "CustomResourceClass",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomResourceClass", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "CustomTrait",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomTrait", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "Inventories",
                columns: table => new
                {
                    ProviderUuid = table.Column<string>(type: "TEXT", nullable: false),
                    ResourceClass = table.Column<string>(type: "TEXT", nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Reserved = table.Column<int>(type: "INTEGER", nullable: false),
                    MinUnit = table.Column<int>(type: "INTEGER", nullable: false),
                    MaxUnit = table.Column<int>(type: "INTEGER", nullable: false),
                    StepSize = table.Column<int>(type: "INTEGER", nullable: false),
                    AllocationRatio = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Inventories", x => new { x.ProviderUuid, x.ResourceClass });
                });

            migrationBuilder.CreateTable(
                name: "ProviderAggregate",
                columns: table => new
                {
                    ProviderUuid = table.Column<string>(type: "TEXT", nullable: false),
                    Value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProviderAggregate", x => new { x.ProviderUuid, x.Value });
                });

            migrationBuilder.CreateTable(
                name: "ProviderTrait",
                columns: table => new
                {
                    ProviderUuid = table.Column<string>(type: "TEXT", nullable: false),
                    Value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProviderTrait", x => new { x.ProviderUuid, x.Value });
                });

            migrationBuilder.CreateTable(
                name: "Providers",
                columns: table => new
                {
                    Uuid = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Generation = table.Column<int>(type: "INTEGER", nullable: false),
                    ParentUuid = table.Column<string>(type: "TEXT", nullable: true),
                    RootUuid = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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

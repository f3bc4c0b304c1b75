using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PciPassthrough.Server.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AllocationUsageCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Allocations_ProviderUuid_ResourceClass",
                table: "Allocations");

            migrationBuilder.CreateIndex(
                name: "IX_Allocations_ProviderUuid_ResourceClass_ConsumerUuid_Used",
                table: "Allocations",
                columns: new[] { "ProviderUuid", "ResourceClass", "ConsumerUuid", "Used" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Allocations_ProviderUuid_ResourceClass_ConsumerUuid_Used",
                table: "Allocations");

            migrationBuilder.CreateIndex(
                name: "IX_Allocations_ProviderUuid_ResourceClass",
                table: "Allocations",
                columns: new[] { "ProviderUuid", "ResourceClass" });
        }
    }
}

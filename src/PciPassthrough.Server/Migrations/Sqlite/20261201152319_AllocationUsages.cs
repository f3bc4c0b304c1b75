using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PciPassthrough.Server.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AllocationUsages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Usages",
                columns: table => new
                {
                    ProviderUuid = table.Column<string>(type: "TEXT", nullable: false),
                    ResourceClass = table.Column<string>(type: "TEXT", nullable: false),
                    Used = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Usages", x => new { x.ProviderUuid, x.ResourceClass });
                });

            migrationBuilder.Sql("""
                INSERT INTO "Usages" ("ProviderUuid", "ResourceClass", "Used")
                    SELECT "ProviderUuid", "ResourceClass", SUM("Used") FROM "Allocations" GROUP BY "ProviderUuid", "ResourceClass";
                CREATE TRIGGER allocation_usage_insert AFTER INSERT ON "Allocations" BEGIN
                    INSERT INTO "Usages" ("ProviderUuid", "ResourceClass", "Used") VALUES (NEW."ProviderUuid", NEW."ResourceClass", NEW."Used")
                        ON CONFLICT ("ProviderUuid", "ResourceClass") DO UPDATE SET "Used" = "Used" + excluded."Used";
                END;
                CREATE TRIGGER allocation_usage_delete AFTER DELETE ON "Allocations" BEGIN
                    UPDATE "Usages" SET "Used" = "Used" - OLD."Used"
                        WHERE "ProviderUuid" = OLD."ProviderUuid" AND "ResourceClass" = OLD."ResourceClass";
                END;
                CREATE TRIGGER allocation_usage_update AFTER UPDATE ON "Allocations" BEGIN
                    UPDATE "Usages" SET "Used" = "Used" - OLD."Used"
                        WHERE "ProviderUuid" = OLD."ProviderUuid" AND "ResourceClass" = OLD."ResourceClass";
                    INSERT INTO "Usages" ("ProviderUuid", "ResourceClass", "Used") VALUES (NEW."ProviderUuid", NEW."ResourceClass", NEW."Used")
                        ON CONFLICT ("ProviderUuid", "ResourceClass") DO UPDATE SET "Used" = "Used" + excluded."Used";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER allocation_usage_insert;
                DROP TRIGGER allocation_usage_delete;
                DROP TRIGGER allocation_usage_update;
                """);
            migrationBuilder.DropTable(
                name: "Usages");
        }
    }
}

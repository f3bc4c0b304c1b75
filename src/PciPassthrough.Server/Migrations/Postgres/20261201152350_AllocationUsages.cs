using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PciPassthrough.Server.Migrations.Postgres
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
                    ProviderUuid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ResourceClass = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Used = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Usages", x => new { x.ProviderUuid, x.ResourceClass });
                });

            // Writers of other replicas wait until this commits: none can slip between the sum and the trigger.
            migrationBuilder.Sql("""
                LOCK TABLE "Allocations" IN SHARE ROW EXCLUSIVE MODE;
                INSERT INTO "Usages" ("ProviderUuid", "ResourceClass", "Used")
                    SELECT "ProviderUuid", "ResourceClass", SUM("Used") FROM "Allocations" GROUP BY "ProviderUuid", "ResourceClass";
                CREATE FUNCTION allocation_usage() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'INSERT' THEN
                        UPDATE "Usages" SET "Used" = "Used" - OLD."Used"
                            WHERE "ProviderUuid" = OLD."ProviderUuid" AND "ResourceClass" = OLD."ResourceClass";
                    END IF;
                    IF TG_OP <> 'DELETE' THEN
                        INSERT INTO "Usages" ("ProviderUuid", "ResourceClass", "Used")
                            VALUES (NEW."ProviderUuid", NEW."ResourceClass", NEW."Used")
                            ON CONFLICT ("ProviderUuid", "ResourceClass") DO UPDATE SET "Used" = "Usages"."Used" + EXCLUDED."Used";
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER allocation_usage AFTER INSERT OR UPDATE OR DELETE ON "Allocations"
                    FOR EACH ROW EXECUTE FUNCTION allocation_usage();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER allocation_usage ON "Allocations"; DROP FUNCTION allocation_usage();""");
            migrationBuilder.DropTable(
                name: "Usages");
        }
    }
}

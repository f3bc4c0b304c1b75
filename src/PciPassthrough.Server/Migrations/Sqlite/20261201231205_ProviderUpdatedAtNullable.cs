using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PciPassthrough.Server.Migrations.Sqlite
{
    /// <summary>A provider's update time is null until a write changes its row (a child provider as created).</summary>
    public partial class ProviderUpdatedAtNullable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQLite changes a column by rebuilding the table. EF's rebuild would drop what it does not model (the
            // CreationOrder column's default and trigger) and runs last in a migration, so the table is rebuilt here
            // by hand: the same columns in the same order, rows in insertion order, then its indexes and trigger.
            migrationBuilder.Sql("""
                CREATE TABLE "Providers_UpdatedAtNullable" (
                    "Uuid" TEXT NOT NULL CONSTRAINT "PK_Providers" PRIMARY KEY,
                    "Name" TEXT NOT NULL,
                    "Generation" INTEGER NOT NULL,
                    "ParentUuid" TEXT NULL,
                    "RootUuid" TEXT NOT NULL,
                    "UpdatedAt" TEXT NULL,
                    "CreationOrder" INTEGER NOT NULL DEFAULT 0);
                INSERT INTO "Providers_UpdatedAtNullable"
                    SELECT "Uuid", "Name", "Generation", "ParentUuid", "RootUuid", "UpdatedAt", "CreationOrder" FROM "Providers" ORDER BY rowid;
                DROP TABLE "Providers";
                ALTER TABLE "Providers_UpdatedAtNullable" RENAME TO "Providers";
                CREATE UNIQUE INDEX "IX_Providers_Name" ON "Providers" ("Name");
                CREATE INDEX "IX_Providers_ParentUuid" ON "Providers" ("ParentUuid");
                CREATE INDEX "IX_Providers_RootUuid" ON "Providers" ("RootUuid");
                CREATE UNIQUE INDEX "IX_Providers_CreationOrder" ON "Providers" ("CreationOrder");
                """);
            migrationBuilder.Sql(CreationOrder.Trigger("Providers"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            // No rebuild back to NOT NULL: the column stays nullable and holds no null, all the earlier model needs
            migrationBuilder.Sql("""UPDATE "Providers" SET "UpdatedAt" = datetime('now') WHERE "UpdatedAt" IS NULL;""");
    }
}

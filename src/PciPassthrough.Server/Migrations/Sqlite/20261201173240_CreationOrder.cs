using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PciPassthrough.Server.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CreationOrder : Migration
    {
        private static readonly string[] CreationOrderTables = ["Providers", "CustomTrait", "CustomResourceClass"];

        /// <summary>The trigger that numbers each new row of <paramref name="table"/> after the newest.</summary>
        internal static string Trigger(string table) => $"""
            CREATE TRIGGER "{table}_CreationOrder" AFTER INSERT ON "{table}" WHEN NEW."CreationOrder" = 0 BEGIN
                UPDATE "{table}" SET "CreationOrder" = (SELECT MAX("CreationOrder") + 1 FROM "{table}") WHERE rowid = NEW.rowid;
            END;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CreationOrder",
                table: "Providers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "CreationOrder",
                table: "CustomTrait",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "CreationOrder",
                table: "CustomResourceClass",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // SQLite has no identity column: a trigger numbers each new row after the newest. Existing rows keep
            // their insertion order (the rowid). A future migration that rebuilds one of these tables must create
            // its trigger again.
            foreach (var table in CreationOrderTables)
            {
                migrationBuilder.Sql($"""UPDATE "{table}" SET "CreationOrder" = rowid;""");
                migrationBuilder.Sql(Trigger(table));
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
            foreach (var table in CreationOrderTables)
            {
                migrationBuilder.Sql($"""DROP TRIGGER "{table}_CreationOrder";""");
            }

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

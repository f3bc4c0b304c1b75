using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PciPassthrough.Server.ControllerMigrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Events",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Payload = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Events", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "Flavors",
                columns: table => new
                {
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Vcpus = table.Column<int>(type: "integer", nullable: false),
                    Ram = table.Column<int>(type: "integer", nullable: false),
                    Disk = table.Column<int>(type: "integer", nullable: false),
                    Ephemeral = table.Column<int>(type: "integer", nullable: false),
                    Swap = table.Column<int>(type: "integer", nullable: false),
                    ExtraSpecs = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Flavors", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "Hosts",
                columns: table => new
                {
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Description = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    HeartbeatAtMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Hosts", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "Images",
                columns: table => new
                {
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Properties = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Images", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "Ports",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Project = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    VnicType = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    PhysicalNetwork = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    NetworkType = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Trusted = table.Column<bool>(type: "boolean", nullable: true),
                    NumaAffinityPolicy = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Server = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Ports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Servers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Project = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Host = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    SourceHost = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    DestHost = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Flavor = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    OldFlavor = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Image = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Ports = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    LastResult = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Servers", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Ports_Project",
                table: "Ports",
                column: "Project");

            migrationBuilder.CreateIndex(
                name: "IX_Ports_Server",
                table: "Ports",
                column: "Server");

            migrationBuilder.CreateIndex(
                name: "IX_Servers_Project",
                table: "Servers",
                column: "Project");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Events");

            migrationBuilder.DropTable(
                name: "Flavors");

            migrationBuilder.DropTable(
                name: "Hosts");

            migrationBuilder.DropTable(
                name: "Images");

            migrationBuilder.DropTable(
                name: "Ports");

            migrationBuilder.DropTable(
                name: "Servers");
        }
    }
}

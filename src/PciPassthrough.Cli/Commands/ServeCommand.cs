using System.CommandLine;
using Microsoft.Extensions.Hosting;
using PciPassthrough.Server;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl serve</c>: the controller with the Placement-compatible API at
/// <c>http://LISTEN/placement</c>, until Ctrl+C.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen")
        {
            Description = "host:port to listen on.",
            DefaultValueFactory = _ => PlacementServerOptions.DefaultListen,
        };
        var dataDir = new Option<string>("--data-dir")
        {
            Description = $"Directory of the embedded SQLite database ({PlacementServerOptions.DatabaseFileName}).",
            DefaultValueFactory = _ => ".",
        };
        var database = new Option<string?>("--database")
        {
            Description = "PostgreSQL connection string (\"Host=…;Database=…;Username=…\") instead of the SQLite file.",
        };
        var authToken = new Option<string[]>("--auth-token")
        {
            Description = "An x-auth-token clients may send, as TOKEN[:ROLE,...][@PROJECT] (roles default to admin; " +
                "admin and service may do everything, a reader may read its project's usages); repeatable. Without " +
                "any, loopback clients are served in Placement's noauth2 test mode (x-auth-token: admin).",
        };
        var randomize = new Option<bool>("--randomize-allocation-candidates")
        {
            Description = "Return allocation candidates in a random order, and a random spread of them under 'limit' " +
                "(Placement's [placement]randomize_allocation_candidates).",
        };
        var command = new Command("serve", """
            Runs the controller: a Placement-compatible HTTP API (microversions 1.0-1.39) mounted at /placement, so
            http://127.0.0.1:8780/placement is the endpoint to give clients (osc-placement, Nova). State lives in a
            SQLite file under --data-dir, or in PostgreSQL with --database (several replicas may share it).

            Examples:
              pcictl serve
              pcictl serve --listen 0.0.0.0:8780 --data-dir /var/lib/pcictl --auth-token s3cret --auth-token nova-key:service
              pcictl serve --database "Host=db1;Database=placement;Username=placement"

            Exit codes: 0 stopped by Ctrl+C or SIGTERM.
            """)
        {
            listen, dataDir, database, authToken, randomize,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new PlacementServerOptions(parse.GetRequiredValue(listen), parse.GetRequiredValue(dataDir),
                parse.GetValue(database), parse.GetValue(authToken), parse.GetValue(randomize));
            await using var app = await PlacementServer.BuildAsync(options, cancellationToken);
            await app.StartAsync(cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync(
                $"pcictl serve: Placement API at {app.BoundAddress()}placement (Ctrl+C to stop)");
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}

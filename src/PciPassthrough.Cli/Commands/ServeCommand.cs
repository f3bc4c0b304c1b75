using System.CommandLine;
using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Host.NovaConf;
using PciPassthrough.Server;
using PciPassthrough.Server.Placement;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl serve</c>: the controller — its REST API at <c>http://LISTEN/v1</c> and the Placement-compatible
/// API at <c>http://LISTEN/placement</c> — until Ctrl+C.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen")
        {
            Description = "HOST:PORT to listen on: an IP address (0.0.0.0 or [::] for every interface) or a host name, and a " +
                "port (0 picks a free one).",
            DefaultValueFactory = _ => PlacementServerOptions.DefaultListen,
            HelpName = "HOST:PORT",
        };
        listen.Validators.Add(result =>
        {
            if (result.Tokens is [.., var token] && ListenAddress.Problem(token.Value) is { } problem)
            {
                result.AddError(problem);
            }
        });
        var dataDir = new Option<string>("--data-dir")
        {
            Description = $"Directory of the embedded SQLite database ({PlacementServerOptions.DatabaseFileName}), created " +
                "if missing; the current directory by default.",
            HelpName = "DIR",
            DefaultValueFactory = _ => ".",
        };
        var database = new Option<string?>("--database")
        {
            Description = "PostgreSQL connection string (\"Host=…;Database=…;Username=…\") instead of the SQLite file.",
            HelpName = "CONNECTION-STRING",
        };
        var authToken = new Option<string[]>("--auth-token")
        {
            Description = "An x-auth-token clients may send, as TOKEN[:ROLE,...][@PROJECT] (roles default to admin; " +
                "admin and service may do everything, a reader may read its project's usages); repeatable. Without " +
                "any, loopback clients are served in Placement's noauth2 test mode (x-auth-token: admin).",
            HelpName = "TOKEN",
        };
        var randomize = new Option<bool>("--randomize-allocation-candidates")
        {
            Description = "Return allocation candidates in a random order, and a random spread of them under 'limit' " +
                "(Placement's [placement]randomize_allocation_candidates).",
        };
        var policyFile = new Option<FileInfo?>("--policy-file")
        {
            Description = "An oslo.policy file (YAML or JSON, \"RULE\": \"CHECK\") overriding Placement's policy rules, e.g. " +
                "\"placement:resource_providers:list\": \"role:admin or role:reader\" (Placement's [oslo_policy] policy_file). " +
                "Checks: @, !, role:R, rule:NAME, project_id:%(project_id)s, user_id:…, combined with and, or, not and " +
                "parentheses. A file that does not parse, or refers to an undefined rule, stops the start (exit 2).",
            HelpName = "FILE",
        };
        var enforceScope = new Option<bool>("--enforce-scope")
        {
            Description = "Refuse system-scoped tokens, as every Placement rule is project-scoped ([oslo_policy] " +
                "enforce_scope); '--enforce-scope false' checks them like any other token.",
            DefaultValueFactory = _ => true,
        };
        var enforceNewDefaults = new Option<bool>("--enforce-new-defaults")
        {
            Description = "Only the new rule defaults ([oslo_policy] enforce_new_defaults): without it each default also " +
                "passes for the deprecated role:admin, so an admin (not only the service role) may reshape.",
        };
        var corsOrigin = new Option<string[]>("--cors-allowed-origin")
        {
            Description = "An origin (or *) whose browser pages may call the Placement API ([cors] allowed_origin); " +
                "repeatable or comma-separated. Without any, no CORS headers are sent and OPTIONS is 405.",
            HelpName = "ORIGIN",
        };
        var corsHeaders = new Option<string[]>("--cors-allow-headers")
        {
            Description = "A request header a CORS preflight may grant besides the simple ones, e.g. openstack-api-version " +
                "([cors] allow_headers); repeatable or comma-separated.",
            HelpName = "HEADER",
        };
        var config = new Option<FileInfo?>("--config")
        {
            Description = "A nova.conf whose [pci] alias, [compute] packing_host_numa_cells_allocation_strategy and " +
                "[scheduler] image_metadata_prefilter the scheduler uses (the API's side of Nova); without it no alias is defined.",
            HelpName = "FILE",
        };
        var heartbeat = WholeNumberOption.Create("--heartbeat-interval",
            "Seconds between agent heartbeats; a host silent for three intervals is down and gets no new server.", minimum: 1);
        heartbeat.DefaultValueFactory = _ => 60;
        heartbeat.HelpName = "SECONDS";
        var demo = new Option<bool>("--demo")
        {
            Description = "Also run in-process agents for a demo fleet (examples/fleet/ and this machine's /sys, with " +
                "examples/demo-nova.conf, which is also the --config when none is given) and create demo flavors and images.",
        };
        var verbose = new Option<bool>("--verbose")
        {
            Description = "Also log the framework's information (Kestrel's lifetime, every request, EF Core's SQL); " +
                "without it only its warnings and errors are logged (on stderr).",
        };
        var command = new Command("serve", """
            Runs the controller (REST API, Placement API, dashboard) until Ctrl+C.

            Serves the REST API under /v1 (flavors, images, ports, hosts and their devices, servers with
            scheduling and device claims, resize, migration, libvirt XML; its OpenAPI document at /openapi/v1.json,
            health at /healthz) and a Placement-compatible API (microversions 1.0-1.39) mounted at /placement, so
            http://127.0.0.1:8780/placement is the endpoint to give Placement clients (osc-placement, Nova). State
            lives in a SQLite file under --data-dir, or in PostgreSQL with --database (several replicas may share it:
            every change is one entry of a shared log, so two replicas never give one device to two servers).

            Examples:
              pcictl serve --demo
              pcictl serve --config /etc/nova/nova.conf
              pcictl serve --listen 0.0.0.0:8780 --data-dir /var/lib/pcictl --auth-token s3cret --auth-token agent-key:service --auth-token alice:member@demo
              pcictl serve --database "Host=db1;Database=placement;Username=placement"
              pcictl serve --policy-file /etc/placement/policy.yaml --enforce-new-defaults
              pcictl serve --cors-allowed-origin https://dashboard.example.com --cors-allow-headers openstack-api-version

            Exit codes: 0 stopped by Ctrl+C or SIGTERM; 2 a bad option, an unreadable or invalid --config or
            --policy-file, a --listen address already taken, or a --data-dir that cannot be created; 3 the database
            could not be opened (the reason is printed).
            """)
        {
            listen, dataDir, database, authToken, randomize, policyFile, enforceScope, enforceNewDefaults, corsOrigin, corsHeaders,
            config, heartbeat, demo, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var examples = parse.GetValue(demo) ? DemoFleet.FindExamples() : null;
            if (parse.GetValue(demo) && examples is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(DemoFleet.NotFound);
                return ExitCodes.Usage;
            }

            var configFile = parse.GetValue(config) ?? (examples is null ? null : new FileInfo(Path.Combine(examples, DemoFleet.ConfigFileName)));
            if (EngineConfig(configFile, parse.InvocationConfiguration.Error) is not { } engine)
            {
                return ExitCodes.Usage;
            }

            var options = new PlacementServerOptions(parse.GetRequiredValue(listen), parse.GetRequiredValue(dataDir),
                parse.GetValue(database), parse.GetValue(authToken), parse.GetValue(randomize))
            {
                Engine = engine,
                HeartbeatInterval = TimeSpan.FromSeconds(parse.GetValue(heartbeat)),
                Verbose = parse.GetValue(verbose),
                PolicyFile = parse.GetValue(policyFile)?.FullName,
                EnforceScope = parse.GetValue(enforceScope),
                EnforceNewDefaults = parse.GetValue(enforceNewDefaults),
                CorsAllowedOrigins = ListValues(parse.GetValue(corsOrigin)),
                CorsAllowHeaders = ListValues(parse.GetValue(corsHeaders)),
            };
            if (StartProblem(options) is { } problem)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"pcictl serve: {problem}");
                return ExitCodes.Usage;
            }

            WebApplication built;
            try
            {
                built = await PlacementServer.BuildAsync(options, cancellationToken);
            }
            catch (PolicyFileException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"pcictl serve: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (Exception e) when (DatabaseFailure(e) is { } failure)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(
                    $"pcictl serve: cannot open the database ({options.DatabaseDescription}): {failure.Message}");
                return options.UsesPostgres ? ExitCodes.Unreachable : ExitCodes.Usage;
            }

            await using var app = built;
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e) when (e.InnerException is AddressInUseException)
            {
                // taken after the check in StartProblem, or on the other loopback of 'localhost'
                await parse.InvocationConfiguration.Error.WriteLineAsync($"pcictl serve: {ListenAddress.InUse(options.Listen)}");
                return ExitCodes.Usage;
            }

            await WriteStartupAsync(parse.InvocationConfiguration.Output, app, options, examples);
            if (examples is not null)
            {
                await DemoFleet.ReportAsync(await DemoFleet.StartAsync(app.BoundAddress(), examples, parse.GetValue(authToken),
                    options.HeartbeatInterval, parse.InvocationConfiguration.Error, cancellationToken), parse.InvocationConfiguration.Output);
            }

            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>What an operator needs to know once started: where to connect, where the state lives, who may
    /// call, and whether demo agents run.</summary>
    private static async Task WriteStartupAsync(TextWriter output, WebApplication app, PlacementServerOptions options, string? examples)
    {
        var url = app.BoundAddress();
        await output.WriteLineAsync($"pcictl serve: REST API at {url}v1, Placement API at {url}placement, dashboard at {url} (Ctrl+C to stop)");
        foreach (var other in app.Urls.Skip(1))
        {
            await output.WriteLineAsync($"pcictl serve: also listening on {other}");
        }

        await output.WriteLineAsync($"pcictl serve: database {options.DatabaseDescription}");
        await output.WriteLineAsync(options.AuthTokens is { Count: > 0 } tokens
            ? $"pcictl serve: auth: {tokens.Count} token(s) from --auth-token; any other request gets 401"
            : "pcictl serve: auth: no --auth-token, so loopback clients only: token 'admin' is the admin, any other a member of that project");
        await output.WriteLineAsync($"pcictl serve: policy: {options.PolicyFile ?? "Placement's default rules"}" +
            (options.EnforceNewDefaults ? ", new defaults only (reshaping needs the service role)" : "") +
            (options.EnforceScope ? ", system-scoped tokens refused" : "") +
            (options.CorsAllowedOrigins.Count > 0 ? $"; CORS for {string.Join(", ", options.CorsAllowedOrigins)}" : "; CORS off"));
        await output.WriteLineAsync(examples is null ? "pcictl serve: demo off" : $"pcictl serve: demo on, agents for {Path.Combine(examples, DemoFleet.FleetDirectory)}/ and this machine");
    }

    /// <summary>What stops the start before anything is built: a database option that is no connection string, an
    /// address that cannot be listened on, a data directory that cannot be created; null when none does.</summary>
    private static string? StartProblem(PlacementServerOptions options)
    {
        try
        {
            _ = options.DatabaseDescription;
        }
        catch (ArgumentException e)
        {
            return $"--database: {e.Message} Expected Host=HOST;Database=NAME;Username=USER[;Password=…] for PostgreSQL.";
        }

        var unavailable = ListenAddress.Unavailable(options.Listen);
        if (unavailable is not null || options.UsesPostgres)
        {
            return unavailable;
        }

        try
        {
            Directory.CreateDirectory(options.DataDirectory);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"--data-dir {options.DataDirectory}: cannot create it ({e.Message}); give a directory this user may write.";
        }
    }

    /// <summary>The database's own error when <paramref name="e"/> (or what it wraps, e.g. EF Core's retry strategy
    /// giving up) is one, else null.</summary>
    private static DbException? DatabaseFailure(Exception? e) => e switch
    {
        null => null,
        DbException db => db,
        _ => DatabaseFailure(e.InnerException),
    };

    /// <summary>An oslo.config list option's values: each given value, split at commas.</summary>
    private static string[] ListValues(string[]? given) =>
        [.. (given ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>The scheduler's options from <paramref name="file"/>, or null after saying on <paramref name="error"/>
    /// why the file cannot be used.</summary>
    internal static ScenarioConfig? EngineConfig(FileInfo? file, TextWriter error)
    {
        if (file is null)
        {
            return new ScenarioConfig();
        }

        NovaConfOptions conf;
        try
        {
            conf = NovaConfOptions.Read(NovaConfFile.Read(file.FullName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"pcictl serve: cannot read {file}: {FileError.Reason(file.FullName, e)}");
            return null;
        }

        foreach (var problem in conf.Errors)
        {
            error.WriteLine($"pcictl serve: {problem}");
        }

        return conf.Errors.Count > 0 ? null : new ScenarioConfig
        {
            Alias = [.. conf.Aliases.Select(a => a.Value)],
            PackNumaCells = conf.PackingHostNumaCellsAllocationStrategy.Value,
            ImageMetadataPrefilter = conf.ImageMetadataPrefilter.Value,
        };
    }
}

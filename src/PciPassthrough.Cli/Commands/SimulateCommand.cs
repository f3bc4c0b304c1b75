using System.Buffers;
using System.CommandLine;
using System.CommandLine.Invocation;
using PciPassthrough.Core;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// <c>pcictl simulate SCENARIO.json… [--out-dir DIR] [--explain] [--release zed|latest]</c> (scenario-format SIM-1,
/// SIM-2): replays scenarios and writes one result each. Exit 0 all written, 2 usage error or invalid input, 1 a bug.
/// </summary>
public static class SimulateCommand
{
    public const int Ok = 0, InternalFailure = 1, InvalidInput = 2;

    public static Command Create()
    {
        var scenarios = new Argument<string[]>("SCENARIO")
        {
            Description = "Scenario files (JSON, see ../shared/scenario-format.md), e.g. tests/scenarios/public/policy-socket.json.",
            Arity = ArgumentArity.OneOrMore,
        };
        var outDir = new Option<string?>("--out-dir")
        {
            Description = "Write the result of path/X.json to DIR/X.out.json (DIR is created). Needed for several scenarios.",
            HelpName = "DIR",
        };
        var explain = new Option<bool>("--explain")
        {
            Description = "Print a readable table of every decision and why each host was rejected.",
        };
        var release = new Option<string>("--release")
        {
            Description = "Whose rules to replay: zed (Nova 26, the reference) or latest (what an upgrade would change).",
            DefaultValueFactory = _ => "zed",
        };
        release.AcceptOnly("zed", "latest");
        var command = new Command("simulate", """
            Replays scenarios offline and reports every decision Nova would make.

            Each scenario (JSON, see ../shared/scenario-format.md) gives the [pci] options, the hosts with their NUMA
            cells and PCI devices, and boots and deletes; each boot is checked as Nova's API does, every host is filtered (with the reason it was
            rejected) and the first host that fits, in host name order, is chosen. The result is JSON: on stdout, or
            DIR/X.out.json for each path/X.json with --out-dir. Nothing else is read (never this host's /sys).

            Examples:
              pcictl simulate tests/scenarios/public/policy-socket.json              the result on stdout
              pcictl simulate a.json b.json --out-dir /tmp/results                   one X.out.json per scenario
              pcictl simulate scenario.json --out-dir out --explain                  and a table of every decision
              pcictl simulate scenario.json --release latest                         as a newer Nova would decide

            Exit codes: 0 every scenario has a result (a request that fits nowhere is a result, not an error);
            2 bad arguments, or a file that cannot be read, is not JSON or is no valid scenario (one line each on stderr,
            FILE: JSON path: what is expected; the other files still run); 1 an internal failure.
            """)
        {
            scenarios, outDir, explain, release,
        };
        command.Action = new SimulateAction(parse => new SimulateOptions(
            parse.GetValue(scenarios) ?? [],
            parse.GetValue(outDir),
            parse.GetValue(explain),
            parse.GetValue(release) == "latest" ? NovaRelease.Latest : NovaRelease.Zed));
        return command;
    }

    /// <summary>Runs the verb; <paramref name="stdout"/> gets results or tables, <paramref name="stderr"/> one line per rejected input.</summary>
    public static int Run(SimulateOptions options, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Scenarios.Count > 1 && options.OutDir is null)
        {
            return Usage(stderr, "several scenarios need --out-dir DIR");
        }

        if (options.OutDir is { } dir)
        {
            try
            {
                Directory.CreateDirectory(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Usage(stderr, $"--out-dir {dir}: cannot create it ({e.Message.TrimEnd('.')}); give a directory this user may write");
            }
        }

        var status = Ok;
        var output = new ArrayBufferWriter<byte>(); // reused: results reach hundreds of KB
        foreach (var path in options.Scenarios)
        {
            output.ResetWrittenCount();
            var outcome = Simulate(path, options, output, stdout, stderr);
            status = outcome == InternalFailure || status == InternalFailure ? InternalFailure : Math.Max(status, outcome);
        }

        return status;
    }

    private static int Simulate(string path, SimulateOptions options, ArrayBufferWriter<byte> output, TextWriter stdout,
        TextWriter stderr)
    {
        byte[] input;
        try
        {
            input = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{path}: cannot be read: {e.Message}");
            return InvalidInput;
        }

        try
        {
            var result = ScenarioRunner.Run(ScenarioReader.Read(input), options.Release);
            ScenarioResultWriter.Write(output, result);
            if (options.OutDir is { } dir)
            {
                File.WriteAllBytes(Path.Combine(dir, OutputName(path)), output.WrittenSpan);
            }
            else
            {
                stdout.Write(System.Text.Encoding.UTF8.GetString(output.WrittenSpan));
            }

            if (options.Explain)
            {
                SimulateExplainTable.Write(stdout, result);
            }

            return Ok;
        }
        catch (ScenarioFormatException e)
        {
            stderr.WriteLine($"{path}: {e.Message}");
            return InvalidInput;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stderr.WriteLine($"{path}: internal error (a bug in pcictl, please report it): {e}");
            return InternalFailure;
        }
    }

    /// <summary>SIM-1: <c>path/X.json</c> → <c>X.out.json</c>; the scenario's <c>name</c> is not used.</summary>
    internal static string OutputName(string path)
    {
        var name = Path.GetFileName(path);
        return (name.EndsWith(".json", StringComparison.Ordinal) ? name[..^".json".Length] : name) + ".out.json";
    }

    private static int Usage(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"pcictl simulate: {problem}. Usage: pcictl simulate SCENARIO.json... [--out-dir DIR] [--explain] [--release zed|latest]");
        return InvalidInput;
    }

    /// <summary>Runs the verb on a command line the parser accepted; an option it does not know reads as a scenario.</summary>
    private sealed class SimulateAction(Func<ParseResult, SimulateOptions> bind) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var stderr = parseResult.InvocationConfiguration.Error;
            var options = bind(parseResult);
            return options.Scenarios.FirstOrDefault(s => s.StartsWith("--", StringComparison.Ordinal)) is { } unknown
                ? Usage(stderr, $"unknown option {unknown}")
                : Run(options, parseResult.InvocationConfiguration.Output, stderr);
        }
    }
}

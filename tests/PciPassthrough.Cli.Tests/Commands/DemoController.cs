using System.CommandLine;
using System.Text.RegularExpressions;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary>A real <c>pcictl serve --demo</c> in this process on 127.0.0.1 (port 0) with its own data directory: the
/// demo agents describe examples/fleet (cmp-flat, cmp-gpu, cmp-sriov) and this machine.</summary>
public sealed partial class DemoController : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("pcictl-demo-").FullName;
    private readonly StringWriter _serveOutput = new();

    // the writer serve prints through; its methods lock the wrapper itself, so reading what it wrote locks the same
    private readonly TextWriter _synchronizedOutput;
    private readonly CancellationTokenSource _stop = new();
    private readonly string[] _serveArguments;
    private Task<int>? _serve;
    private string _controller = "";

    public DemoController()
        : this([])
    {
    }

    /// <param name="serveArguments">More for <c>serve</c>, e.g. <c>--database CONN</c>.</param>
    internal DemoController(string[] serveArguments)
    {
        _serveArguments = serveArguments;
        _synchronizedOutput = TextWriter.Synchronized(_serveOutput);
    }

    public async ValueTask InitializeAsync()
    {
        var output = _synchronizedOutput;
        _serve = Program.BuildRootCommand()
            .Parse(["serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir", _dataDirectory, "--heartbeat-interval", "5",
                .. _serveArguments])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, _stop.Token);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!Printed().Contains("pcictl serve --demo: hosts", StringComparison.Ordinal))
        {
            if (_serve.IsCompleted || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"serve --demo did not come up:\n{Printed()}");
            }

            await Task.Delay(100);
        }

        _controller = RestApi().Match(Printed()).Groups[1].Value;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _serve!;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
        _stop.Dispose();
    }

    /// <summary>What <c>serve --demo</c> has printed so far.</summary>
    public string Printed()
    {
        lock (_synchronizedOutput)
        {
            return _serveOutput.ToString();
        }
    }

    /// <summary>Runs one client verb against this controller.</summary>
    public (int ExitCode, string Output, string Error) Pcictl(params string[] args) =>
        HostCommandRunner.Run([.. args, "--controller", _controller]);

    [GeneratedRegex(@"REST API at (http://\S+/)v1")]
    private static partial Regex RestApi();
}

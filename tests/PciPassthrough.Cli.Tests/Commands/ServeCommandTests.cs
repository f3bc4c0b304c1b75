using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using PciPassthrough.Server;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary><c>pcictl serve</c> as an operator starts it (a child process, so the console is its own): our start-up
/// lines and no framework chatter on stdout, warnings on stderr, the framework's logs back with <c>--verbose</c>.</summary>
public sealed partial class ServeCommandTests : IDisposable
{
    private static readonly TimeSpan _wait = TimeSpan.FromMinutes(1);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("pcictl-serve-").FullName;
    private readonly List<string> _stdout = [], _stderr = [];
    private Process? _serve;

    public void Dispose()
    {
        if (_serve is { HasExited: false })
        {
            _serve.Kill(entireProcessTree: true);
            _serve.WaitForExit();
        }

        _serve?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Start_PrintsWhereWhatAndWho_AndNoFrameworkInformation()
    {
        await StartAsync("--auth-token", "s3cret", "--auth-token", "alice:member@demo");

        Lines(_stdout).ShouldBe([
            $"pcictl serve: REST API at {Url}v1, Placement API at {Url}placement, dashboard at {Url} (Ctrl+C to stop)",
            $"pcictl serve: database SQLite {Path.Combine(_dataDirectory, PlacementServerOptions.DatabaseFileName)}",
            "pcictl serve: auth: 2 token(s) from --auth-token; any other request gets 401",
            "pcictl serve: policy: Placement's default rules, system-scoped tokens refused; CORS off",
            "pcictl serve: demo off",
        ]);
        Lines(_stderr).ShouldBeEmpty();
    }

    [Fact]
    public async Task Warnings_StayVisibleOnStderr()
    {
        await StartAsync();
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(_dataDirectory, PlacementServerOptions.DatabaseFileName)}"))
        {
            await db.OpenAsync(TestContext.Current.CancellationToken);
            await using var insert = db.CreateCommand();
            insert.CommandText = "INSERT INTO Events (Sequence, Kind, Payload) VALUES (1, 'from-a-newer-version', '{}')";
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using var client = new HttpClient { BaseAddress = new Uri(Url) };
        client.DefaultRequestHeaders.Add("x-auth-token", "admin");
        (await client.GetAsync("v1/servers", TestContext.Current.CancellationToken)).IsSuccessStatusCode.ShouldBeTrue();

        await UntilAsync(_stderr, "log entry 1");
        Lines(_stderr).ShouldBe([
            "warn: PciPassthrough.Server.Controller.ControllerEngine[0] log entry 1 (from-a-newer-version) does not apply to the fleet; skipped",
        ]);
        Lines(_stdout).ShouldAllBe(line => line.StartsWith("pcictl serve: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verbose_BringsBackTheFrameworksLogs()
    {
        await StartAsync("--verbose");

        Lines(_stdout).ShouldContain($"info: Microsoft.Hosting.Lifetime[14] Now listening on: {Url.TrimEnd('/')}");
    }

    [Fact]
    public async Task BadPolicyFile_StopsTheStart_NamingFileRuleAndProblem()
    {
        var policy = Path.Combine(_dataDirectory, "policy.yaml");
        await File.WriteAllTextAsync(policy, "# ours\n\"placement:resource_providers:list\": \"role:admin or\"\n",
            TestContext.Current.CancellationToken);

        Launch("--policy-file", policy);
        await _serve!.WaitForExitAsync(TestContext.Current.CancellationToken);

        _serve.ExitCode.ShouldBe(2);
        Lines(_stderr).ShouldBe([
            $"pcictl serve: policy file {policy}: rule 'placement:resource_providers:list' (line 2): a check is missing after 'or'",
        ]);
    }

    /// <summary>A port taken after serve's check, as when another process binds it first, fails Kestrel's bind: the
    /// operator reads the check's line, without the framework's stack trace. 'localhost' binds both loopbacks and the
    /// check only 127.0.0.1, so taking [::1] makes that race happen every time.</summary>
    [Fact]
    public async Task ListenAddressTakenAtBind_ExitsTwoWithTheChecksLineAndNoStackTrace()
    {
        using var taken = new TcpListener(IPAddress.IPv6Loopback, 0);
        taken.Start();
        var listen = $"localhost:{((IPEndPoint)taken.LocalEndpoint).Port}";

        Launch("--listen", listen);
        await _serve!.WaitForExitAsync(TestContext.Current.CancellationToken);

        _serve.ExitCode.ShouldBe(2);
        Lines(_stdout).ShouldBeEmpty();
        Lines(_stderr).ShouldBe([
            $"pcictl serve: --listen {listen}: address already in use (is another 'pcictl serve' running?); choose another port with --listen HOST:PORT",
        ]);
    }

    [Fact]
    public async Task DatabaseThatDoesNotAnswer_IsOneLineWithoutTheFrameworksLog()
    {
        Launch("--database", "Host=127.0.0.1;Port=1;Database=placement;Username=placement;Timeout=2");
        await _serve!.WaitForExitAsync(TestContext.Current.CancellationToken);

        _serve.ExitCode.ShouldBe(3);
        Lines(_stderr).ShouldBe([
            "pcictl serve: cannot open the database (PostgreSQL 127.0.0.1:1, database placement, user placement): Failed to connect to 127.0.0.1:1",
        ]);
    }

    [Theory]
    [InlineData("Host=db1;Port=5433;Database=pci;Username=pcictl;Password=s3cret", "PostgreSQL db1:5433, database pci, user pcictl")]
    [InlineData("Host=db1;Password=s3cret", "PostgreSQL db1:5432, database (the user's)")]
    public void DatabaseDescription_NamesThePostgresServerButNeverThePassword(string connection, string expected) =>
        new PlacementServerOptions(Database: connection).DatabaseDescription.ShouldBe(expected);

    private string Url => RestApi().Match(string.Join('\n', Lines(_stdout))).Groups[1].Value;

    private async Task StartAsync(params string[] extra)
    {
        Launch(extra);
        await UntilAsync(_stdout, "pcictl serve: demo ");
    }

    private void Launch(params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "pcictl.dll"), "serve", "--data-dir", _dataDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dataDirectory,
        };
        foreach (var argument in extra.Contains("--listen") ? extra : ["--listen", "127.0.0.1:0", .. extra])
        {
            start.ArgumentList.Add(argument);
        }

        _serve = Process.Start(start)!;
        _serve.OutputDataReceived += (_, line) => Collect(_stdout, line.Data);
        _serve.ErrorDataReceived += (_, line) => Collect(_stderr, line.Data);
        _serve.BeginOutputReadLine();
        _serve.BeginErrorReadLine();
    }

    private static void Collect(List<string> lines, string? line)
    {
        if (line is not null)
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }
    }

    private static List<string> Lines(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    private async Task UntilAsync(List<string> lines, string text)
    {
        var deadline = DateTime.UtcNow + _wait;
        while (!Lines(lines).Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            if (_serve!.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"no line with '{text}':\n{string.Join('\n', Lines(_stdout))}\n{string.Join('\n', Lines(_stderr))}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [GeneratedRegex(@"REST API at (http://\S+/)v1")]
    private static partial Regex RestApi();
}

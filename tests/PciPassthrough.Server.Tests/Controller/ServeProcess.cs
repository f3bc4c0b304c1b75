using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PciPassthrough.Server.Tests.Controller;

/// <summary><c>pcictl serve</c> as a child process (the build of <c>src/PciPassthrough.Cli</c> next to this test
/// assembly), so a test can kill it with SIGKILL.</summary>
public sealed class ServeProcess : IDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;

    private ServeProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts one and waits until <c>/healthz</c> answers.</summary>
    public static Task<ServeProcess> StartAsync(string dataDirectory, string config, string? database) =>
        StartAsync(["--data-dir", dataDirectory, "--config", config, .. database is null ? [] : new[] { "--database", database }], null);

    /// <summary><c>pcictl serve --demo</c> (examples/fleet and this machine), once the demo agents' first round is in.</summary>
    public static Task<ServeProcess> StartDemoAsync(string dataDirectory) =>
        StartAsync(["--demo", "--data-dir", dataDirectory], "pcictl serve --demo: hosts");

    /// <summary>Starts one on a free port. The port is free when chosen, but a test running in parallel may take it before
    /// the child binds it: then the child says so and exits, and another port is tried.</summary>
    private static async Task<ServeProcess> StartAsync(IEnumerable<string> arguments, string? readyLine)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (serve, problem) = await TryStartAsync([.. arguments], readyLine);
            if (serve is not null)
            {
                return serve;
            }

            if (attempt == 3 || !problem.Contains("--listen", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(problem);
            }
        }
    }

    private static async Task<(ServeProcess? Serve, string Problem)> TryStartAsync(string[] arguments, string? readyLine)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { PcictlDll(), "serve", "--listen", $"127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var ready = readyLine is null;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) => ready |= readyLine is not null && line.Data?.StartsWith(readyLine, StringComparison.Ordinal) == true;
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                errors.Enqueue(text);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var serve = new ServeProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        using var probe = new HttpClient { BaseAddress = serve.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + _startTimeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if (Volatile.Read(ref ready) && (await probe.GetAsync("healthz", TestContext.Current.CancellationToken)).StatusCode == HttpStatusCode.OK)
                {
                    return (serve, "");
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        string what;
        if (process.HasExited)
        {
            process.WaitForExit(); // the rest of its stderr
            what = $"exited with code {process.ExitCode}";
        }
        else
        {
            what = $"did not answer /healthz{(readyLine is null ? "" : $" and print '{readyLine}'")} within {_startTimeout}";
        }

        serve.Dispose();
        return (null, $"pcictl serve {what}; its stderr: {string.Join('\n', errors.TakeLast(20))}");
    }

    /// <summary>SIGKILL: no shutdown code runs, whatever the process was doing.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private static string PcictlDll()
    {
        var output = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        var dll = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(output))!, "PciPassthrough.Cli", Path.GetFileName(output), "pcictl.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/PciPassthrough.Cli first", dll);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PciPassthrough.Server.Tests;

/// <summary>
/// The errors a test server logs (an unhandled exception is a 500 with an empty body, its cause only in the log): a
/// fuzz test that gets a 5xx names them, so one occurrence is enough to find the cause.
/// </summary>
public sealed class ServerErrorLog : ILoggerProvider
{
    private const int Kept = 20;
    private readonly ConcurrentQueue<string> _entries = new();

    /// <summary>Starts keeping <paramref name="app"/>'s errors (from any logger, made before or after).</summary>
    public static ServerErrorLog AttachTo(WebApplication app)
    {
        var log = new ServerErrorLog();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        return log;
    }

    /// <summary>The last errors logged, newest last, or a note that there were none.</summary>
    public string Recent() => _entries.IsEmpty ? "(the server logged no error)" : string.Join("\n", _entries);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string entry)
    {
        _entries.Enqueue(entry);
        while (_entries.Count > Kept && _entries.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(ServerErrorLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Add($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : $"\n{exception}")}");
            }
        }
    }
}

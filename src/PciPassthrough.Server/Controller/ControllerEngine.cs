using System.Data;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Server.Controller.Store;
using PciPassthrough.Server.Metrics;

namespace PciPassthrough.Server.Controller;

/// <summary>
/// This replica's copy of the engine: a <see cref="Fleet"/> folded from the global event log. Every request first
/// catches up with the log; a change is decided on the caught-up fleet and appended as entry N+1 in the same
/// transaction as the rows it changes. Entry N+1 is the log's primary key, so when another replica appended first the
/// insert fails; this replica then goes back to the fleet as it was at entry N (a snapshot taken before deciding),
/// catches up with what the other replica appended and decides again (bounded). The log, not any lock
/// in a process, is what keeps two replicas from giving one device to two servers. Within the process one request
/// uses the fleet at a time.
/// </summary>
public sealed class ControllerEngine
{
    public const string HostEvent = "host", BootEvent = "boot", DeleteEvent = "delete", MoveEvent = "move",
        ConfirmEvent = "confirm", RevertEvent = "revert";

    /// <summary>Appends lost to other replicas before giving up with 503: far more than two replicas under a
    /// burst need.</summary>
    private const int MaxAttempts = 50;

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly PlacementServerOptions _options;
    private readonly ILogger<ControllerEngine> _log;
    private readonly PciMetrics _metrics;

    /// <summary>Null before the first request: it folds the whole log.</summary>
    private Fleet? _fleet;

    private long _applied;

    /// <summary>Log entries this replica folded into its fleet from the log, and those it appended itself: each entry
    /// reaches the fleet once, by one way or the other (a lost race replays no entry).</summary>
    public long EntriesFolded { get; private set; }

    public long EntriesAppended { get; private set; }

    /// <summary>What a change does: the log entry, the rows it writes in the same transaction, and the answer
    /// computed on the fleet once committed.</summary>
    public sealed record Change<T>(string Kind, JsonObject Payload, Func<ControllerDb, CancellationToken, Task>? Write,
        Func<Fleet, T> Answer);

    public ControllerEngine(PlacementServerOptions options, ILogger<ControllerEngine> log, PciMetrics metrics)
    {
        (_options, _log, _metrics) = (options, log, metrics);
        metrics.Devices = () => Peek(DeviceMeasurements) ?? [];
    }

    /// <summary>This replica's fleet as it is, without catching up with the log (for the metrics callback, which
    /// cannot wait for the database; <c>/metrics</c> catches up first); null before the first request.</summary>
    public T? Peek<T>(Func<Fleet, T> read) where T : class
    {
        _turn.Wait();
        try
        {
            return _fleet is null ? null : read(_fleet);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Folds in the log entries other replicas appended since this replica's last request.</summary>
    public Task CatchUpWithLogAsync(ControllerDb db, CancellationToken cancellationToken) =>
        ReadAsync(db, _ => true, cancellationToken);

    public async Task<T> ReadAsync<T>(ControllerDb db, Func<Fleet, T> read, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            return read(await CatchUpAsync(db, cancellationToken));
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>A read of the fleet together with rows (servers, ports): the catch-up and <paramref name="read"/>'s
    /// queries run in one transaction, so they see one snapshot of the database and the rows are those of the log
    /// entries the fleet was folded to (a server deleted or created meanwhile is in neither).</summary>
    public async Task<T> ReadWithRowsAsync<T>(ControllerDb db, Func<Fleet, Task<T>> read, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            return await read(await CatchUpAsync(db, cancellationToken));
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Decides and commits one change. <paramref name="decide"/> reads what it needs from the database
    /// after the catch-up (so a concurrent append is always detected) and may only throw before it changes the
    /// fleet.</summary>
    public async Task<T> ChangeAsync<T>(ControllerDb db, Func<Fleet, Task<Change<T>>> decide, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var fleet = await CatchUpAsync(db, cancellationToken);
                var applied = fleet.Snapshot();
                db.ChangeTracker.Clear();
                var change = await decide(fleet);
                try
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                    db.Events.Add(new EventRow { Sequence = _applied + 1, Kind = change.Kind, Payload = change.Payload.ToJsonString() });
                    await db.SaveChangesAsync(cancellationToken);
                    if (change.Write is { } write)
                    {
                        await write(db, cancellationToken);
                        await db.SaveChangesAsync(cancellationToken);
                    }

                    await transaction.CommitAsync(cancellationToken);
                    _applied++;
                    EntriesAppended++;
                }
                catch (DbUpdateException e) when (StoreErrors.IsDuplicateKey(e) && attempt < MaxAttempts)
                {
                    _fleet = applied;
                    _metrics.Conflict();
                    _log.LogDebug("entry {Sequence} was appended by another replica; deciding again (attempt {Attempt})", _applied + 1, attempt);
                    await Task.Delay(Random.Shared.Next(1, 5 * Math.Min(attempt, 10)), cancellationToken);
                    continue;
                }
                catch (DbUpdateException e) when (StoreErrors.IsDuplicateKey(e))
                {
                    _fleet = applied;
                    throw new ControllerException(StatusCodes.Status503ServiceUnavailable, ControllerException.BusyCode,
                        $"other replicas kept changing the fleet first ({MaxAttempts} attempts); retry the request.");
                }
                catch
                {
                    // not appended, or (a commit whose answer was lost) appended as entry N+1, which the next
                    // catch-up folds into the fleet of entry N
                    _fleet = applied;
                    throw;
                }

                return change.Answer(fleet);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    private static List<Measurement<long>> DeviceMeasurements(Fleet fleet) =>
        [.. fleet.HostNames.SelectMany(host => (fleet.HostState(host)!.Devices ?? [])
            .GroupBy(d => (d.Status, Class: DeviceResourceClass.Of(d)))
            .Select(g => new Measurement<long>(g.Count(), new KeyValuePair<string, object?>("host", host),
                new KeyValuePair<string, object?>("status", g.Key.Status), new KeyValuePair<string, object?>("resource_class", g.Key.Class))))];

    private async Task<Fleet> CatchUpAsync(ControllerDb db, CancellationToken cancellationToken)
    {
        if (_fleet is null)
        {
            _fleet = new Fleet(_options.Engine);
            _applied = 0;
        }

        var entries = await db.Events.AsNoTracking().Where(e => e.Sequence > _applied).OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);
        foreach (var entry in entries)
        {
            Apply(_fleet, entry);
            _applied = entry.Sequence;
            EntriesFolded++;
        }

        return _fleet;
    }

    /// <summary>Replays one entry. Boots and moves carry the host they were placed on as <c>requested_host</c>, so the
    /// replay lands where the decision did whatever the heartbeats said then.</summary>
    private void Apply(Fleet fleet, EventRow entry)
    {
        using var document = JsonDocument.Parse(entry.Payload);
        var payload = document.RootElement;
        var server = payload.TryGetProperty("server", out var name) ? name.GetString()! : null;
        switch (entry.Kind)
        {
            case HostEvent:
                fleet.UpsertHost(ScenarioReader.ReadHost(payload.GetProperty("host"), fleet.Config));
                break;
            case BootEvent:
                Expect(fleet.Boot(ScenarioReader.ReadBoot(payload.GetProperty("boot"), 0)).Result == Core.Simulation.Results.BootResult.Placed, entry);
                break;
            case DeleteEvent when fleet.Server(server!) is not null:
                fleet.Delete(server!);
                break;
            case MoveEvent when fleet.Server(server!) is { SourceHost: null }:
                Expect(fleet.Move(server!, ScenarioReader.ReadBoot(payload.GetProperty("boot"), 0)).Result == Core.Simulation.Results.BootResult.Placed, entry);
                break;
            case ConfirmEvent when fleet.Server(server!) is { SourceHost: not null }:
                fleet.ConfirmMove(server!);
                break;
            case RevertEvent when fleet.Server(server!) is { SourceHost: not null }:
                fleet.RevertMove(server!);
                break;
            default:
                // A server a host restart dropped (or a kind from a newer version): nothing to replay.
                _log.LogWarning("log entry {Sequence} ({Kind}) does not apply to the fleet; skipped", entry.Sequence, entry.Kind);
                break;
        }
    }

    private void Expect(bool replayed, EventRow entry)
    {
        if (!replayed)
        {
            _log.LogWarning("log entry {Sequence} ({Kind}) did not place its server on replay", entry.Sequence, entry.Kind);
        }
    }
}

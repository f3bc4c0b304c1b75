using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Core.Simulation.Results;
using PciPassthrough.Server.Controller.Store;

namespace PciPassthrough.Server.Controller;

/// <summary>How many of a host's tracked devices are in each state (<c>unavailable</c>: any other state).</summary>
public sealed record DeviceCounts(int Total, int Available, int Claimed, int Allocated, int Unavailable)
{
    public static DeviceCounts Of(IReadOnlyList<TrackedDeviceReport> devices)
    {
        int Count(string status) => devices.Count(d => d.Status == status);
        var (available, claimed, allocated) = (Count("available"), Count("claimed"), Count("allocated"));
        return new(devices.Count, available, claimed, allocated, devices.Count - available - claimed - allocated);
    }
}

/// <summary>A host in the list: <c>state</c> is <c>down</c> when its agent has been silent for three heartbeat
/// intervals; <c>started</c> false with the start-up <c>error</c> when the engine could not start it (SIM-20).</summary>
public sealed record HostSummary(string Name, string State, bool Started, string? Error, DeviceCounts Devices, int Servers);

/// <summary>One host in full: its devices, NUMA cells with usage, pools and Placement view as in scenario results, the
/// IOMMU group of each device whose agent reported one (address → group), and the VFs whose trust its agent turns on
/// through their PF (07 LV-10; the agent reads them from its <c>PUT</c>'s answer).</summary>
public sealed record HostDetail(string Name, string State, bool Started, string? Error, string? ErrorStage,
    DeviceCounts DeviceCounts, int Servers, IReadOnlyList<TrackedDeviceReport> Devices, IReadOnlyList<HostCellReport> NumaCells,
    IReadOnlyList<PoolReport> Pools, PlacementReport? Placement, IReadOnlyList<string> Instances,
    IReadOnlyDictionary<string, string> IommuGroups, IReadOnlyList<VfTrustSetting> VfTrust);

/// <summary><c>/v1/hosts</c>: what agents report (a scenario-format host object, scenario-format §2.3) and what the
/// admin sees of it. Admin and service only.</summary>
public static class HostApi
{
    public const string Up = "up", Down = "down";

    public static void Map(RouteGroupBuilder v1)
    {
        var hosts = v1.MapGroup("/hosts").WithTags("hosts");
        hosts.MapPut("/{name}", PutAsync).Accepts<JsonObject>("application/json").Produces<HostDetail>();
        hosts.MapPost("/{name}/heartbeat", HeartbeatAsync).Produces(StatusCodes.Status204NoContent);
        hosts.MapGet("/", ListAsync).Produces<HostList>();
        hosts.MapGet("/{name}", GetAsync).Produces<HostDetail>();
    }

    public sealed record HostList(IReadOnlyList<HostSummary> Hosts);

    /// <summary>An unchanged description is only a heartbeat; a new or changed one (re)starts the host in the engine,
    /// which puts its servers back on it in boot order.</summary>
    private static async Task<IResult> PutAsync(string name, HttpContext http, ControllerDb db, ControllerEngine engine,
        TimeProvider clock, PlacementServerOptions options, CancellationToken cancellationToken)
    {
        ControllerCaller.Of(http).RequireAdmin(http.Request);
        var body = await RequestBody.ReadAsync(http.Request, cancellationToken);
        var description = JsonNode.Parse(body.Element.GetRawText())!.AsObject();
        if (description["name"] is { } given && (given.GetValueKind() != JsonValueKind.String || given.GetValue<string>() != name))
        {
            throw ControllerException.BadRequest("name", $"name {given.ToJsonString()} differs from the host in the path, '{name}'; " +
                "leave it out or make them equal.");
        }

        description["name"] = name;
        ScenarioHost read;
        try
        {
            read = ScenarioReader.ReadHost(JsonSerializer.SerializeToElement(description), options.Engine);
        }
        catch (ScenarioFormatException e)
        {
            throw ControllerException.BadRequest(e.Path, $"{e.Message} (scenario-format §2.3)");
        }

        // the simulator takes any integer (Nova does); an agent reports a sysfs node number, and the API shows it as one
        if (read.PciDevices.Select((device, index) => (device.NumaNode, index))
            .FirstOrDefault(d => d.NumaNode is { } node && (node < int.MinValue || node > int.MaxValue)) is { NumaNode: { } wide, index: var at })
        {
            throw ControllerException.BadRequest($"pci_devices[{at}].numa_node",
                $"numa_node {wide} is no NUMA node number: expected a sysfs node number (-1 or 0 to {int.MaxValue}), or null.");
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var unchanged = await db.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Name == name, cancellationToken) is { } known
            && JsonNode.DeepEquals(JsonNode.Parse(known.Description), description);
        if (unchanged)
        {
            await db.Hosts.Where(h => h.Name == name).ExecuteUpdateAsync(h => h.SetProperty(r => r.HeartbeatAtMs, now), cancellationToken);
            return Results.Json(await DetailAsync(db, engine, clock, options, name, cancellationToken));
        }

        await engine.ChangeAsync(db, async fleet =>
        {
            var row = await db.Hosts.SingleOrDefaultAsync(h => h.Name == name, cancellationToken);
            var (_, lost) = fleet.UpsertHost(ScenarioReader.ReadHost(JsonSerializer.SerializeToElement(description), fleet.Config));
            var after = lost.Select(id => (Id: id, Server: fleet.Server(id))).ToList();
            return new ControllerEngine.Change<bool>(ControllerEngine.HostEvent, new JsonObject { ["host"] = description.DeepClone() },
                async (store, token) =>
                {
                    if (row is null)
                    {
                        store.Hosts.Add(new HostRow { Name = name, Description = description.ToJsonString(), HeartbeatAtMs = now });
                    }
                    else
                    {
                        row.Description = description.ToJsonString();
                        row.HeartbeatAtMs = now;
                    }

                    foreach (var (id, server) in after)
                    {
                        await ServerApi.AfterHostRestartAsync(store, id, server, token);
                    }
                },
                _ => true);
        }, cancellationToken);
        return Results.Json(await DetailAsync(db, engine, clock, options, name, cancellationToken));
    }

    private static async Task<IResult> HeartbeatAsync(string name, HttpContext http, ControllerDb db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        ControllerCaller.Of(http).RequireAdmin(http.Request);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.Hosts.Where(h => h.Name == name)
            .ExecuteUpdateAsync(h => h.SetProperty(r => r.HeartbeatAtMs, now), cancellationToken) > 0
            ? Results.NoContent()
            : throw ControllerException.NotFound("host", name);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ControllerDb db, ControllerEngine engine, TimeProvider clock,
        PlacementServerOptions options, CancellationToken cancellationToken)
    {
        ControllerCaller.Of(http).RequireAdmin(http.Request);
        return Results.Json(new HostList(await SummariesAsync(db, engine, clock, options, cancellationToken)));
    }

    internal static async Task<List<HostSummary>> SummariesAsync(ControllerDb db, ControllerEngine engine, TimeProvider clock,
        PlacementServerOptions options, CancellationToken cancellationToken)
    {
        var down = await DownHostsAsync(db, clock, options, cancellationToken);
        return await engine.ReadAsync(db, fleet => fleet.HostNames.Select(name =>
        {
            var (report, state) = (fleet.HostReport(name)!, fleet.HostState(name)!);
            return new HostSummary(name, down.Contains(name) ? Down : Up, report.Ok, report.Error?.Message,
                DeviceCounts.Of(state.Devices ?? []), state.Instances.Count);
        }).ToList(), cancellationToken);
    }

    private static async Task<IResult> GetAsync(string name, HttpContext http, ControllerDb db, ControllerEngine engine,
        TimeProvider clock, PlacementServerOptions options, CancellationToken cancellationToken)
    {
        ControllerCaller.Of(http).RequireAdmin(http.Request);
        return Results.Json(await DetailAsync(db, engine, clock, options, name, cancellationToken));
    }

    internal static async Task<HostDetail> DetailAsync(ControllerDb db, ControllerEngine engine, TimeProvider clock,
        PlacementServerOptions options, string name, CancellationToken cancellationToken)
    {
        var down = await DownHostsAsync(db, clock, options, cancellationToken);
        var iommuGroups = await IommuGroupsAsync(db, name, cancellationToken);
        return await engine.ReadAsync(db, fleet =>
        {
            if (fleet.HostReport(name) is not { } report || fleet.HostState(name) is not { } state)
            {
                throw ControllerException.NotFound("host", name);
            }

            var devices = state.Devices ?? [];
            return new HostDetail(name, down.Contains(name) ? Down : Up, report.Ok, report.Error?.Message, report.ErrorStage,
                DeviceCounts.Of(devices), state.Instances.Count, devices, state.NumaCells, state.Pools ?? [], state.Placement,
                state.Instances, iommuGroups, fleet.VfTrust(name));
        }, cancellationToken);
    }

    /// <summary>Address → IOMMU group, from the <c>iommu_group</c> the agent adds to each device it reports.</summary>
    private static async Task<Dictionary<string, string>> IommuGroupsAsync(ControllerDb db, string host,
        CancellationToken cancellationToken)
    {
        var row = await db.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Name == host, cancellationToken);
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        if (row is null)
        {
            return groups;
        }

        using var description = JsonDocument.Parse(row.Description);
        if (description.RootElement.TryGetProperty("pci_devices", out var devices) && devices.ValueKind == JsonValueKind.Array)
        {
            foreach (var device in devices.EnumerateArray())
            {
                if (device.TryGetProperty("address", out var address) && address.ValueKind == JsonValueKind.String
                    && device.TryGetProperty("iommu_group", out var group) && group.ValueKind is JsonValueKind.Number or JsonValueKind.String)
                {
                    groups[address.GetString()!.ToLowerInvariant()] = group.ToString();
                }
            }
        }

        return groups;
    }

    /// <summary>Hosts whose last heartbeat is older than three intervals: they get no new server.</summary>
    public static async Task<HashSet<string>> DownHostsAsync(ControllerDb db, TimeProvider clock, PlacementServerOptions options,
        CancellationToken cancellationToken)
    {
        var since = (clock.GetUtcNow() - (3 * options.HeartbeatInterval)).ToUnixTimeMilliseconds();
        return (await db.Hosts.AsNoTracking().Where(h => h.HeartbeatAtMs < since).Select(h => h.Name)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
    }
}

using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// One compute node during a simulation: its start-up outcome (SIM-20, SIM-21), its devices, capacity usage and the
/// servers placed on it. <see cref="Evaluate"/> never changes the host: a fitting boot yields a trial copy that
/// becomes the host's state only if the boot chooses it (SIM-41).
/// </summary>
internal sealed class SimulatedHost
{
    private readonly HostStartup _startup;
    private readonly HostCapacity _capacity;
    private readonly PciDeviceTracker? _tracker;
    private readonly Dictionary<string, PlacedServer> _servers;

    private SimulatedHost(HostStartup startup, HostCapacity capacity, PciDeviceTracker? tracker,
        Dictionary<string, PlacedServer> servers, HostReport report) =>
        (_startup, _capacity, _tracker, _servers, Report) = (startup, capacity, tracker, servers, report);

    public string Name => _startup.Host.Name;

    /// <summary>The state right after start-up (§4.3).</summary>
    public HostReport Report { get; }

    public bool Started => Report.Ok;

    public static SimulatedHost Start(ScenarioHost host, ScenarioConfig config, NovaRelease release)
    {
        var cells = host.NumaCells;
        var capacity = HostCapacity.Create(
            cells.Sum(c => (long)c.Cpus.Count), cells.Sum(c => (long)c.Pcpus.Count), cells.Sum(c => c.MemoryMb),
            host.CpuAllocationRatio, host.RamAllocationRatio, host.ReservedHostMemoryMb);
        var startup = HostStartup.Run(host, config, release);
        var tracker = startup.Tracker;
        var report = new HostReport
        {
            Name = host.Name,
            Error = startup.Error,
            ErrorStage = startup.ErrorStage,
            DeviceSpecRaw = host.DeviceSpec,
            Specs = startup.SpecReports(),
            TrackedDevices = tracker is null ? [] : DeviceReports(tracker),
            IgnoredDevices = tracker is null ? [] : startup.IgnoredDevices,
            Pools = tracker is null ? [] : PoolReports(tracker),
            NumaCells = CellReports(host),
            PlacementInventory = capacity.Inventories,
        };
        return new SimulatedHost(startup, capacity, tracker, new Dictionary<string, PlacedServer>(StringComparer.Ordinal), report);
    }

    /// <summary>SIM-33…SIM-36: every check, then the claim on a scratch copy returned as <paramref name="trial"/>.</summary>
    public HostEvaluation Evaluate(BootPlan plan, out SimulatedHost? trial)
    {
        trial = null;
        if (!Started)
        {
            return new HostEvaluation
            {
                Host = Name,
                RejectedBy = HostChecks.ComputeUnavailable,
                Rejections = [new Rejection(HostChecks.ComputeUnavailable,
                    $"the compute did not start (stage {Report.ErrorStage}): {Report.Error}")],
            };
        }

        var capacity = _capacity.Check(plan.Resources);
        if (!capacity.Ok)
        {
            return new HostEvaluation
            {
                Host = Name,
                RejectedBy = HostChecks.Placement,
                PlacementCheck = capacity,
                PciPassthroughFilterPassed = true,
                NumaTopologyFilterPassed = true,
                Rejections = [.. capacity.Reasons.Select(reason => new Rejection(HostChecks.Placement, reason))],
            };
        }

        var scratch = Clone();
        scratch._capacity.Add(plan.Resources);
        scratch._servers[plan.ServerName] = new PlacedServer(plan.Resources);
        trial = scratch;
        return new HostEvaluation
        {
            Host = Name,
            Fits = true,
            PlacementCheck = capacity,
            PciPassthroughFilterPassed = true,
            NumaTopologyFilterPassed = true,
            Claim = new ClaimReport(null),
            PciDevices = [],
        };
    }

    /// <summary>
    /// SIM-42: frees the server's devices (walking tracked devices in address order), NUMA usage and capacity; returns
    /// the addresses whose status changed, ascending.
    /// </summary>
    public IReadOnlyList<string> Delete(string server)
    {
        _servers.Remove(server, out var placed);
        _capacity.Add(placed!.Resources, sign: -1);
        if (_tracker is null)
        {
            return [];
        }

        var before = _tracker.Devices.ToDictionary(d => d.Address, d => d.Status, StringComparer.Ordinal);
        _tracker.FreeInstance(server);
        return [.. _tracker.Devices.Where(d => before.GetValueOrDefault(d.Address) != d.Status).Select(d => d.Address)];
    }

    /// <summary>SIM-44: devices, pools and the Placement view only for a host that started.</summary>
    public FinalHostState FinalState() => new()
    {
        Name = Name,
        Ok = Started,
        NumaCells = CellReports(_startup.Host),
        PlacementUsage = _capacity.Used,
        Instances = [.. _servers.Keys.Order(StringComparer.Ordinal)],
        Devices = Started && _tracker is not null ? DeviceReports(_tracker) : null,
        Pools = Started && _tracker is not null ? PoolReports(_tracker) : null,
    };

    private SimulatedHost Clone() => new(_startup, _capacity.Clone(), _tracker?.Clone(),
        new Dictionary<string, PlacedServer>(_servers, StringComparer.Ordinal), Report);

    private static List<TrackedDeviceReport> DeviceReports(PciDeviceTracker tracker) =>
        [.. tracker.Devices.Select(d => new TrackedDeviceReport(
            d.Address,
            d.Record.VendorId,
            d.Record.ProductId,
            d.DeviceType.ToNovaName(),
            d.Record.NumaNode,
            d.Record.ParentAddress,
            d.Status.ToNovaName(),
            d.InstanceId,
            d.Spec?.Index,
            d.Spec is { } spec ? HostStartup.TagsOf(spec) : null))];

    private static List<PoolReport> PoolReports(PciDeviceTracker tracker) =>
        [.. tracker.Pools.Pools.Select(p => new PoolReport(p.Keys.ToJsonObject(), p.Count, [.. p.Devices.Select(d => d.Address)]))];

    private static List<HostCellReport> CellReports(ScenarioHost host) =>
        [.. host.NumaCells.Select(c => new HostCellReport(
            c.Id, c.Socket, c.Cpus, c.Pcpus, c.MemoryMb, c.CpuUsage, c.MemoryUsageMb, c.PinnedCpus, c.HugePages))];

    /// <summary>What a server placed on this host holds, so a delete can give it back.</summary>
    private sealed record PlacedServer(IReadOnlyDictionary<string, long> Resources);
}

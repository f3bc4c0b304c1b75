using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// One compute node during a simulation: its start-up outcome (SIM-20, SIM-21), its capacity usage and the servers
/// placed on it. <see cref="Evaluate"/> never changes the host: a fitting boot yields a trial copy that becomes the
/// host's state only if the boot chooses it (SIM-41).
/// </summary>
internal sealed class SimulatedHost
{
    private readonly ScenarioHost _config;
    private readonly HostCapacity _capacity;
    private readonly Dictionary<string, PlacedServer> _servers;

    private SimulatedHost(ScenarioHost config, HostCapacity capacity, Dictionary<string, PlacedServer> servers, HostReport report) =>
        (_config, _capacity, _servers, Report) = (config, capacity, servers, report);

    public string Name => _config.Name;

    /// <summary>The state right after start-up (§4.3).</summary>
    public HostReport Report { get; }

    public bool Started => Report.Ok;

    public static SimulatedHost Start(ScenarioHost config)
    {
        var cells = config.NumaCells;
        var capacity = HostCapacity.Create(
            cells.Sum(c => (long)c.Cpus.Count), cells.Sum(c => (long)c.Pcpus.Count), cells.Sum(c => c.MemoryMb),
            config.CpuAllocationRatio, config.RamAllocationRatio, config.ReservedHostMemoryMb);
        var report = new HostReport
        {
            Name = config.Name,
            DeviceSpecRaw = config.DeviceSpec,
            Specs = [],
            NumaCells = CellReports(config),
            PlacementInventory = capacity.Inventories,
        };
        return new SimulatedHost(config, capacity, new Dictionary<string, PlacedServer>(StringComparer.Ordinal), report);
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
                Rejections = [new Rejection(HostChecks.ComputeUnavailable, $"the compute did not start: {Report.Error}")],
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

    /// <summary>SIM-42: frees the server's capacity; returns the addresses whose status changed, ascending.</summary>
    public IReadOnlyList<string> Delete(string server)
    {
        var placed = _servers[server];
        _servers.Remove(server);
        _capacity.Add(placed.Resources, sign: -1);
        return [];
    }

    /// <summary>SIM-44.</summary>
    public FinalHostState FinalState() => new()
    {
        Name = Name,
        Ok = Started,
        NumaCells = CellReports(_config),
        PlacementUsage = _capacity.Used,
        Instances = [.. _servers.Keys.Order(StringComparer.Ordinal)],
        Devices = Started ? [] : null,
        Pools = Started ? [] : null,
    };

    private SimulatedHost Clone() =>
        new(_config, _capacity.Clone(), new Dictionary<string, PlacedServer>(_servers, StringComparer.Ordinal), Report);

    private static List<HostCellReport> CellReports(ScenarioHost config) =>
        [.. config.NumaCells.Select(c => new HostCellReport(
            c.Id, c.Socket, c.Cpus, c.Pcpus, c.MemoryMb, c.CpuUsage, c.MemoryUsageMb, c.PinnedCpus, c.HugePages))];

    /// <summary>What a server placed on this host holds, so a delete can give it back.</summary>
    private sealed record PlacedServer(IReadOnlyDictionary<string, long> Resources);
}

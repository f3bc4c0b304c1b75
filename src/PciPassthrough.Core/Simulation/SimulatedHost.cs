using System.Numerics;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Placement;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Scheduling.Filters;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// One compute node during a simulation: its start-up outcome (SIM-20, SIM-21), NUMA cells with usage, devices,
/// capacity usage and the servers placed on it. <see cref="Evaluate"/> never changes the host: a fitting boot yields a
/// trial copy that becomes the host's state only if the boot chooses it (SIM-41).
/// </summary>
internal sealed class SimulatedHost
{
    private static readonly PciPassthroughFilter _pciFilter = new();
    private static readonly NumaTopologyFilter _numaFilter = new();

    private readonly HostStartup _startup;
    private readonly bool _packNumaCells;
    private readonly HostCapacity _capacity;
    private readonly PciDeviceTracker? _tracker;
    private readonly Dictionary<string, PlacedServer> _servers;
    private HostNumaTopology _numa;
    private HostState? _schedulerState;

    private SimulatedHost(HostStartup startup, bool packNumaCells, HostCapacity capacity, HostNumaTopology numa,
        PciDeviceTracker? tracker, Dictionary<string, PlacedServer> servers, HostReport report)
    {
        (_startup, _packNumaCells, _capacity, _numa, _tracker, _servers) = (startup, packNumaCells, capacity, numa, tracker, servers);
        Report = report;
    }

    public string Name => _startup.Host.Name;

    /// <summary>What the host's libvirt can run (07 LV-18).</summary>
    public HypervisorCapabilities Hypervisor => _startup.Host.Hypervisor ?? HypervisorCapabilities.Assumed;

    /// <summary>The state right after start-up (§4.3).</summary>
    public HostReport Report { get; }

    public bool Started => Report.Ok;

    public static SimulatedHost Start(ScenarioHost host, ScenarioConfig config, NovaRelease release)
    {
        var cells = host.NumaCells;
        var capacity = HostCapacity.Create(
            cells.Sum(c => (long)c.Cpus.Count), cells.Sum(c => (long)c.Pcpus.Count), cells.Aggregate(BigInteger.Zero, (sum, c) => sum + c.MemoryMb),
            host.CpuAllocationRatio, host.RamAllocationRatio, host.ReservedHostMemoryMb);
        var numa = new HostNumaTopology([.. cells.Select(CellOf)]);
        var startup = HostStartup.Run(host, config, release);
        var tracker = startup.Tracker;
        var report = new HostReport
        {
            Name = host.Name,
            Error = startup.Error,
            ErrorStage = startup.ErrorStage,
            DeviceSpecRaw = host.DeviceSpec,
            Specs = startup.SpecReports(),
            TrackedDevices = tracker is null ? [] : DeviceReports(startup, tracker),
            IgnoredDevices = tracker is null ? [] : startup.IgnoredDevices,
            Pools = tracker is null ? [] : PoolReports(startup, tracker),
            NumaCells = CellReports(numa),
            PlacementInventory = capacity.Inventories,
            Placement = startup.Placement is { } view ? PlacementReport(host.Name, view, withUsage: false) : null,
        };
        return new SimulatedHost(startup, config.PackNumaCells, capacity, numa, tracker,
            new Dictionary<string, PlacedServer>(StringComparer.Ordinal), report);
    }

    /// <summary>
    /// SIM-33…SIM-36: the three scheduler checks, all evaluated; if they pass, the compute claim on a scratch copy,
    /// returned as <paramref name="trial"/> when it succeeds.
    /// </summary>
    public HostEvaluation Evaluate(ServerRequest request, out SimulatedHost? trial)
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

        var state = SchedulerState();
        var capacity = _capacity.Check(request.Resources);
        if (CapacityFilter.MissingTraits(state, request) is { Count: > 0 } missing)
        {
            capacity = capacity with { Reasons = [.. missing, .. capacity.Reasons] };
        }

        var pciRejection = _pciFilter.Check(state, request);
        var (numaRejection, schedulerFit) = _numaFilter.Evaluate(state, request);
        List<Rejection> rejections = [.. capacity.Reasons.Select(reason => new Rejection(HostChecks.Placement, reason))];
        rejections.AddRange(new[] { pciRejection, numaRejection }.OfType<Rejection>());
        var evaluation = new HostEvaluation
        {
            Host = Name,
            RejectedBy = !capacity.Ok ? HostChecks.Placement
                : pciRejection is not null ? HostChecks.PciPassthroughFilter
                : numaRejection is not null ? HostChecks.NumaTopologyFilter
                : null,
            PlacementCheck = capacity,
            PciPassthroughFilterPassed = pciRejection is null,
            NumaTopologyFilterPassed = numaRejection is null,
            Rejections = rejections,
        };
        if (evaluation.RejectedBy is not null)
        {
            return evaluation;
        }

        evaluation = evaluation with { SchedulerNumaCells = FittedReports(schedulerFit) };
        var scratch = Clone();
        scratch._numa = NumaUsage.Reordered(_numa, order => order.DeepCopied());
        scratch._tracker!.ForgetExtraInfoOfAllocated(_startup.Specs!);
        if (scratch.Claim(state, request) is { } claimError)
        {
            return evaluation with
            {
                RejectedBy = HostChecks.Claim,
                Claim = new ClaimReport(claimError.Error),
                Rejections = [claimError.Rejection],
            };
        }

        trial = scratch;
        var placed = scratch._servers[request.Name];
        return evaluation with
        {
            Fits = true,
            Claim = new ClaimReport(null),
            NumaCells = FittedReports(placed.Numa),
            PciDevices = placed.Picks,
        };
    }

    /// <summary>
    /// SIM-36 on this (scratch) host: the compute claim (05 NF-21), then the NUMA and capacity usage grow. Pinning a CPU
    /// another guest holds fails the claim with <c>CPUPinningInvalid</c>, as in Nova's resource tracker (the scenario
    /// format lists no such failure: Nova's oracle crashes there).
    /// </summary>
    private (PciError Error, Rejection Rejection)? Claim(HostState state, ServerRequest request)
    {
        ComputeClaim.Result claim;
        try
        {
            // the compute reads its cells back from the compute node record's JSON
            claim = ComputeClaim.Claim(state with { Numa = NumaUsage.Reordered(_numa, order => order.RoundTripped()) }, _tracker!, request);
            if (claim.Numa is { } fit)
            {
                // Nova's resource tracker records the usage inside the claim: a failure there fails the boot on this host
                _numa = NumaUsage.Add(_numa, fit);
            }
        }
        catch (PciException e)
        {
            var reason = e.Error.Kind switch
            {
                ComputeClaim.ComputeResourcesUnavailable => $"the compute refuses the claim: {e.Error.Message}",
                NumaUsage.CpuPinningInvalid => $"the compute cannot pin the CPUs the fit chose: {e.Error.Message}",
                _ => $"the compute cannot take the devices the scheduler counted on: {e.Error.Message}",
            };
            return (e.Error, new Rejection(HostChecks.Claim, reason));
        }

        _capacity.Add(request.Resources);
        _schedulerState = null;
        _servers[request.Name] = new PlacedServer(request.Resources, claim.Numa, [.. claim.Picks.Select(pick => PickReport(pick, request))]);
        return null;
    }

    /// <summary>
    /// SIM-42: frees the server's devices (walking tracked devices in address order), NUMA usage and capacity; returns
    /// the addresses whose status changed, ascending.
    /// </summary>
    public IReadOnlyList<string> Delete(string server)
    {
        _servers.Remove(server, out var placed);
        _capacity.Add(placed!.Resources, sign: -1);
        _schedulerState = null;
        if (placed.Numa is { } fit)
        {
            _numa = NumaUsage.Subtract(_numa, fit);
        }

        var before = _tracker!.Devices.ToDictionary(d => d.Address, d => d.Status, StringComparer.Ordinal);
        _tracker.FreeInstance(server);
        return [.. _tracker.Devices.Where(d => before.GetValueOrDefault(d.Address) != d.Status).Select(d => d.Address)];
    }

    /// <summary>The devices the placed server took, in pick order.</summary>
    public IReadOnlyList<PickReport> PicksOf(string server) => _servers[server].Picks;

    /// <summary>The host cells the placed server was fitted to, or null without a guest NUMA topology.</summary>
    public IReadOnlyList<FittedCellReport>? NumaOf(string server) => FittedReports(_servers[server].Numa);

    /// <summary>The tracked device at <paramref name="address"/> on a host that started.</summary>
    public TrackedDevice TrackedDevice(string address) => _tracker!.Find(address)
        ?? throw new KeyNotFoundException($"host {Name} tracks no device {address}");

    /// <summary>SIM-44: devices, pools and the Placement view only for a host that started.</summary>
    public FinalHostState FinalState() => new()
    {
        Name = Name,
        Ok = Started,
        NumaCells = CellReports(_numa),
        PlacementUsage = _capacity.Used,
        Instances = [.. _servers.Keys.Order(CodePointComparer.Instance)],
        Devices = Started ? DeviceReports(_startup, _tracker!) : null,
        Pools = Started ? PoolReports(_startup, _tracker!) : null,
        Placement = Started && _startup.Placement is { } startView ? FinalPlacement(startView) : null,
    };

    /// <summary>
    /// SIM-51 at the end: the view rebuilt from the devices as they are now. Nova refuses a view before it touches the
    /// provider tree, so a refusal leaves the start-up providers, without allocations, and names the error.
    /// </summary>
    private PlacementReport FinalPlacement(PciPlacementView startView)
    {
        try
        {
            return PlacementReport(Name, _startup.PlacementView(_tracker!), withUsage: true);
        }
        catch (PciException refusal)
        {
            return PlacementReport(Name, startView, withUsage: false) with { Error = refusal.Error };
        }
    }

    /// <summary>
    /// SIM-51: providers sorted by name, <c>total</c> = <c>max_unit</c> = device count; right after start-up every
    /// <c>used</c> is 0 and no consumer is listed.
    /// </summary>
    private static PlacementReport PlacementReport(string hostName, PciPlacementView view, bool withUsage) => new(hostName,
        [.. view.Providers.Where(p => p.ResourceClass is not null).OrderBy(p => p.Name, CodePointComparer.Instance).Select(provider =>
        {
            var consumers = withUsage ? provider.Consumers : [];
            var count = provider.Devices.Count;
            return new ProviderReport(provider.Name, hostName,
                [new ProviderInventoryReport(provider.ResourceClass!, count, count, consumers.Sum(c => c.Value))],
                [.. provider.Traits!.Order(CodePointComparer.Instance)],
                consumers);
        })],
        null);

    /// <summary>What the scheduler reads of this host (SIM-35: the pool summary built from the compute's pools); built
    /// once per state of the host, as every boot evaluates every host.</summary>
    private HostState SchedulerState() => _schedulerState ??= new()
    {
        Name = Name,
        Capacity = _capacity,
        Pools = _tracker!.Pools.SchedulerView(),
        // the root provider's traits: 05 NF-17 and the vIOMMU capabilities (07 LV-18)
        Traits = new HashSet<string>(Hypervisor.ReportedViommuTraits()
            .Concat(RemoteManagedPortsPrefilter.ReportsTrait(driverSupportsRemoteManagedPorts: true, _tracker.Pools.Pools)
                ? [RemoteManagedPortsPrefilter.Trait] : []), StringComparer.Ordinal),
        Numa = _numa,
        CpuAllocationRatio = _startup.Host.CpuAllocationRatio,
        RamAllocationRatio = _startup.Host.RamAllocationRatio,
        PackNumaCells = _packNumaCells,
    };

    /// <summary>A copy whose changes this host does not see (and the other way round).</summary>
    public SimulatedHost Clone() => new(_startup, _packNumaCells, _capacity.Clone(), _numa, _tracker?.Clone(),
        new Dictionary<string, PlacedServer>(_servers, StringComparer.Ordinal), Report);

    private PickReport PickReport(Pools.PciPick pick, ServerRequest request)
    {
        var device = pick.Device;
        var pciRequest = request.PciRequests[pick.RequestIndex];
        return new PickReport(
            device.Address,
            device.Record.VendorId,
            device.Record.ProductId,
            device.DeviceType.ToNovaName(),
            device.Record.NumaNode,
            device.Record.ParentAddress,
            pick.RequestIndex,
            pciRequest.AliasName,
            pciRequest.RequesterId,
            _tracker!.Pools.KeysOf(device) is { } keys ? _startup.KeysJson(keys) : []);
    }

    private static HostNumaCell CellOf(ScenarioNumaCell cell) =>
        HostNumaCell.Create(cell.Id, cell.MemoryMb, cell.Cpus, cell.Pcpus, cell.HugePages, cell.Siblings, cell.Socket) with
        {
            CpuUsage = cell.CpuUsage,
            MemoryUsageMb = cell.MemoryUsageMb,
            PinnedCpus = cell.PinnedCpus,
            SetOrder = cell.SetOrder,
            Physnets = cell.Physnets,
            Tunneled = cell.Tunneled,
        };

    private static List<FittedCellReport>? FittedReports(FittedNumaTopology? fit) => fit?.Cells.Select(cell => new FittedCellReport(
        cell.GuestCell,
        cell.HostCellId,
        cell.Cpus,
        cell.SharedCpus,
        cell.DedicatedCpus,
        cell.MemoryMb,
        cell.PageSizeKb,
        cell.CpuPinning?.OrderBy(p => p.Key).ToList(),
        cell.CpusetReserved)).ToList();

    private static List<TrackedDeviceReport> DeviceReports(HostStartup startup, PciDeviceTracker tracker) =>
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
            d.Spec is { } spec ? startup.TagsJson(spec) : null))];

    private static List<PoolReport> PoolReports(HostStartup startup, PciDeviceTracker tracker) =>
        [.. tracker.Pools.Pools.Select(p => new PoolReport(startup.KeysJson(p.Keys), p.Count, [.. p.Devices.Select(d => d.Address)]))];

    private static List<HostCellReport> CellReports(HostNumaTopology numa) =>
        [.. numa.Cells.Select(c => new HostCellReport(
            c.Id, c.Socket, c.Cpus, c.Pcpus, c.MemoryMb, c.CpuUsage, c.MemoryUsageMb, c.PinnedCpus, [.. c.HugePages]))];

    /// <summary>What a server placed on this host holds, so a delete can give it back.</summary>
    private sealed record PlacedServer(IReadOnlyDictionary<string, long> Resources, FittedNumaTopology? Numa, IReadOnlyList<PickReport> Picks);
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// A fleet of computes whose state evolves one change at a time: hosts start (or restart), servers boot, are deleted,
/// or move (resize, cold migration) with a confirm or revert. It is the scenario runner's engine (scenario-format §3),
/// so the controller, which folds its event log into one of these, gives exactly <c>pcictl simulate</c>'s answers.
/// Deterministic: the same changes in the same order give the same state (SIM-4), which is what lets every
/// controller replica rebuild the same fleet from the shared log.
/// </summary>
public sealed class Fleet
{
    private readonly NovaRelease _release;
    private readonly AliasOption _aliases;

    /// <summary>Hosts in host order: ascending ordinal name (SIM-11).</summary>
    private readonly SortedList<string, SimulatedHost> _hosts = new(CodePointComparer.Instance);

    private readonly Dictionary<string, FleetServer> _servers = new(StringComparer.Ordinal);
    private long _placements;

    /// <summary>Set once a <see cref="Snapshot"/> shares this fleet's hosts: freeing devices then works on a copy of
    /// the host, so neither fleet changes the other's.</summary>
    private bool _sharesHosts;

    /// <param name="config">The <c>nova.conf</c> options shared by the fleet (aliases, NUMA cell packing).</param>
    /// <param name="release">Whose rules: <c>simulate</c> uses Zed, the controller Latest.</param>
    public Fleet(ScenarioConfig config, NovaRelease release = NovaRelease.Latest)
        : this(config ?? throw new ArgumentNullException(nameof(config)), release, AliasOption.Parse(config.Alias, release))
    {
    }

    private Fleet(ScenarioConfig config, NovaRelease release, AliasOption aliases) =>
        (Config, _release, _aliases) = (config, release, aliases);

    public ScenarioConfig Config { get; }

    /// <summary>The hosts, in host order.</summary>
    public IList<string> HostNames => _hosts.Keys;

    /// <summary>The servers placed now, in placement order.</summary>
    public IEnumerable<FleetServer> Servers => _servers.Values.OrderBy(s => s.Placement);

    /// <summary>§4.2: the parsed alias set, or the error every boot using an alias meets (SIM-31 stage 5).</summary>
    public AliasReport AliasReport() => _aliases.Set is not { } set
        ? new AliasReport(_aliases.Error, null)
        : new AliasReport(null, [.. set.Aliases.Select(alias => new AliasEntry(
            alias.Name,
            alias.NumaPolicy.ToNovaName(),
            [.. alias.Specs.Select(spec => new JsonObject(
                spec.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))))]))]);

    /// <summary>
    /// A compute starts (§3.2) with this description. A host already known restarts: its servers are placed on it
    /// again in their placement order; those that no longer fit are dropped from it and listed.
    /// </summary>
    /// <returns>The start-up report and the servers the restarted host could not take back.</returns>
    public (HostReport Report, IReadOnlyList<string> Lost) UpsertHost(ScenarioHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var started = SimulatedHost.Start(host, Config, _release);
        var lost = new List<string>();
        foreach (var server in _servers.Values.Where(s => s.Host == host.Name || s.SourceHost == host.Name)
            .OrderBy(s => s.Placement).ToList())
        {
            var onSource = server.SourceHost == host.Name;
            started.Evaluate(onSource ? server.SourceRequest! : server.Request, out var trial);
            if (trial is not null)
            {
                started = trial;
                continue;
            }

            lost.Add(server.Name);
            if (onSource)
            {
                _servers[server.Name] = Confirmed(server);
            }
            else if (server.SourceHost is not null)
            {
                _servers[server.Name] = Reverted(server);
            }
            else
            {
                _servers.Remove(server.Name);
            }
        }

        _hosts[host.Name] = started;
        return (started.Report, lost);
    }

    public HostReport? HostReport(string host) => _hosts.GetValueOrDefault(host)?.Report;

    /// <summary>The host's devices, pools, NUMA and capacity usage now (§4.5).</summary>
    public FinalHostState? HostState(string host) => _hosts.GetValueOrDefault(host)?.FinalState();

    public FleetServer? Server(string name) => _servers.GetValueOrDefault(name);

    /// <summary>
    /// A boot (§3.3–§3.5): the API stages, every host evaluated in host order, the first fitting one chosen and
    /// committed (SIM-40, SIM-41). Hosts in <paramref name="excludedHosts"/> are reported, never chosen.
    /// </summary>
    /// <exception cref="ArgumentException">A server of that name is placed already.</exception>
    public BootResult Boot(ScenarioBoot boot, IReadOnlyCollection<string>? excludedHosts = null)
    {
        ArgumentNullException.ThrowIfNull(boot);
        if (_servers.ContainsKey(boot.Name))
        {
            throw new ArgumentException($"a server named {boot.Name} is placed already", nameof(boot));
        }

        var (result, request, chosen) = Schedule(boot, excludedHosts ?? []);
        if (chosen is { } host)
        {
            _hosts[host.Name] = host;
            _servers[boot.Name] = new FleetServer(boot.Name, host.Name, boot, request!, ++_placements);
        }

        return result;
    }

    /// <summary>SIM-42: frees the server's devices, NUMA usage and capacity on its host (and on the source host of
    /// an unconfirmed move).</summary>
    /// <exception cref="KeyNotFoundException">No such server.</exception>
    public DeleteResult Delete(string name, int index = 0)
    {
        var server = Placed(name);
        if (server.SourceHost is { } source)
        {
            Writable(source).Delete(name);
        }

        _servers.Remove(name);
        var changed = Writable(server.Host).Delete(name);
        return new DeleteResult(index, JsonSerializer.SerializeToElement(name), server.Host, changed, null);
    }

    /// <summary>What a boot would get now, committing nothing: the "why not?" of a flavor on every host.</summary>
    public BootResult Explain(ScenarioBoot boot)
    {
        ArgumentNullException.ThrowIfNull(boot);
        return Schedule(boot, []).Result;
    }

    /// <summary>
    /// A copy to try boots on without changing this fleet. Cheap because a boot replaces the chosen host by its trial
    /// copy instead of changing it; only <see cref="Boot"/> may be called on the copy.
    /// </summary>
    internal Fleet CopyForBoots()
    {
        var copy = new Fleet(Config, _release, _aliases) { _placements = _placements };
        foreach (var (name, host) in _hosts)
        {
            copy._hosts.Add(name, host);
        }

        foreach (var (name, server) in _servers)
        {
            copy._servers.Add(name, server);
        }

        return copy;
    }

    /// <summary>
    /// This fleet as it is now, to go back to: any change may be made on either afterwards without the other seeing
    /// it. Cheap (the hosts are shared; a change that frees devices copies the one host it changes), which is what lets
    /// the controller keep the state of its last applied log entry for when an append loses a race.
    /// </summary>
    public Fleet Snapshot()
    {
        var snapshot = CopyForBoots();
        snapshot._sharesHosts = _sharesHosts = true;
        return snapshot;
    }

    /// <summary>
    /// A resize or cold migration: <paramref name="boot"/> (the server with its new flavor) is scheduled on any host
    /// but the current one and those in <paramref name="excludedHosts"/> (reported, never chosen, as for
    /// <see cref="Boot"/>) and claimed there; the server keeps its current host's devices until
    /// <see cref="ConfirmMove"/> (frees the source) or <see cref="RevertMove"/> (frees the destination).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such server.</exception>
    /// <exception cref="InvalidOperationException">The server is moving already.</exception>
    public BootResult Move(string name, ScenarioBoot boot, IReadOnlyCollection<string>? excludedHosts = null)
    {
        ArgumentNullException.ThrowIfNull(boot);
        var server = Placed(name);
        if (server.SourceHost is not null)
        {
            throw new InvalidOperationException($"server {name} is moving from {server.SourceHost} already: confirm or revert first");
        }

        var (result, request, chosen) = Schedule(boot with { Name = name }, [server.Host, .. excludedHosts ?? []]);
        if (chosen is { } host)
        {
            _hosts[host.Name] = host;
            _servers[name] = server with
            {
                Host = host.Name,
                Boot = boot with { Name = name },
                Request = request!,
                SourceHost = server.Host,
                SourceBoot = server.Boot,
                SourceRequest = server.Request,
            };
        }

        return result;
    }

    /// <summary>The move is kept: the source host's devices are freed.</summary>
    public IReadOnlyList<string> ConfirmMove(string name)
    {
        var server = Moving(name);
        var changed = Writable(server.SourceHost!).Delete(name);
        _servers[name] = Confirmed(server);
        return changed;
    }

    /// <summary>The move is undone: the destination's devices are freed and the server is back on its source.</summary>
    public IReadOnlyList<string> RevertMove(string name)
    {
        var server = Moving(name);
        var changed = Writable(server.Host).Delete(name);
        _servers[name] = Reverted(server);
        return changed;
    }

    /// <summary>03 RQ-30: why the server may not be live-migrated, or null when it may.</summary>
    public PciError? LiveMigrationBlocker(string name) => LiveMigrationEligibility.Check(Placed(name).Request.PciRequests);

    /// <summary>The devices the server holds on its (destination) host, in pick order.</summary>
    public IReadOnlyList<PickReport> Devices(string name) => _hosts[Placed(name).Host].PicksOf(name);

    /// <summary>The NUMA cells the server was fitted to, or null without a guest NUMA topology.</summary>
    public IReadOnlyList<FittedCellReport>? NumaCells(string name) => _hosts[Placed(name).Host].NumaOf(name);

    /// <summary>
    /// 07: the <c>&lt;devices&gt;</c> children libvirt needs for the server's PCI devices and vIOMMU, as XML text.
    /// Port MAC addresses are derived from the server and port names (no network service here).
    /// </summary>
    /// <exception cref="PciException">LV-1, LV-15: the devices or the vIOMMU cannot be given to this guest.</exception>
    public GuestPciXml DomainXml(string name, string virtType = "kvm", string hostArchitecture = "x86_64", Version? libvirtVersion = null)
    {
        var server = Placed(name);
        var host = _hosts[server.Host];
        var aliasDevices = host.PicksOf(name).Where(p => p.Port is null).Select(p => host.TrackedDevice(p.Address)).ToList();
        var ports = BoundPorts(server).Select(p => p.Bound).ToList();
        var image = server.Boot.ImageProperties;
        var model = ViommuModels.Resolve(server.Boot.Flavor.ExtraSpecs.GetValueOrDefault("hw:viommu_model"), Text(image, "hw_viommu_model"));
        var architecture = ViommuResolver.GuestArchitecture(Text(image, "hw_emulation_architecture"), Text(image, "hw_architecture"), hostArchitecture);
        var machineType = ViommuResolver.MachineType(Text(image, "hw_machine_type"), null, architecture);
        var viommu = ViommuResolver.Resolve(model, virtType, architecture, machineType, libvirtVersion ?? host.Hypervisor.LibvirtVersion);
        return GuestPciXml.Render(virtType, aliasDevices, ports, server.Boot.Flavor.ExtraSpecs, viommu);
    }

    /// <summary>07 LV-10: the VFs whose trust <paramref name="host"/> turns on for the servers it runs, in placement
    /// order.</summary>
    public IReadOnlyList<VfTrustSetting> VfTrust(string host) =>
        [.. Servers.Where(s => s.Host == host).SelectMany(server => BoundPorts(server)
            .Where(p => Libvirt.VfTrust.TurnsOnAtPlug(p.Bound))
            .Select(p => new VfTrustSetting(server.Name, p.Name, p.Bound.PciSlot.ToString())))];

    /// <summary>The server's ports that hold a device on its host, as bound there, in port order.</summary>
    private IEnumerable<(string Name, BoundPort Bound)> BoundPorts(FleetServer server)
    {
        var host = _hosts[server.Host];
        var picks = host.PicksOf(server.Name);
        return server.Boot.Ports.Select(port => (Port: port, Pick: picks.FirstOrDefault(p => p.Port == port.Name)))
            .Where(p => p.Pick is not null)
            .Select(p => (p.Port.Name, new BoundPort
            {
                VnicType = VnicTypes.TryParse(p.Port.VnicType, out var type) ? type : VnicType.Normal,
                MacAddress = MacOf(server.Name, p.Port.Name),
                PciSlot = PciAddress.Parse(p.Pick!.Address),
                Netdev = host.TrackedDevice(p.Pick.Address).Record.Netdev,
                Trusted = p.Port.Trusted is { } trusted ? JsonNode.Parse(trusted.GetRawText()) : null,
            }));
    }

    private (BootResult Result, ServerRequest? Request, SimulatedHost? Chosen) Schedule(ScenarioBoot boot, IReadOnlyCollection<string> excluded)
    {
        var (api, request) = BootApi.Plan(boot, _aliases, _release, Config.ImageMetadataPrefilter);
        if (request is null)
        {
            return (new BootResult(boot.Index, boot.Name, BootResult.ApiError, null, api, []), null, null);
        }

        var evaluations = new List<HostEvaluation>(_hosts.Count);
        SimulatedHost? chosen = null;
        foreach (var host in _hosts.Values)
        {
            if (excluded.Contains(host.Name))
            {
                evaluations.Add(new HostEvaluation
                {
                    Host = host.Name,
                    RejectedBy = Excluded,
                    Rejections = [new Rejection(Excluded, "not a candidate: the server moves away from it, or the caller excluded it")],
                });
                continue;
            }

            var evaluation = host.Evaluate(request, out var trial);
            evaluations.Add(evaluation);
            // SIM-40: the first fitting host in host order, restricted to the requested host if any.
            if (chosen is null && evaluation.Fits && (boot.RequestedHost is null || boot.RequestedHost == host.Name))
            {
                chosen = trial;
            }
        }

        return chosen is null
            ? (new BootResult(boot.Index, boot.Name, BootResult.NoValidHost, null, api, evaluations), request, null)
            : (new BootResult(boot.Index, boot.Name, BootResult.Placed, chosen.Name, api, evaluations), request, chosen);
    }

    /// <summary>The <c>rejected_by</c> of a host the caller excluded (a move's source, a host whose agent is down).</summary>
    public const string Excluded = "source_host";

    private SimulatedHost Writable(string host) => _sharesHosts ? _hosts[host] = _hosts[host].Clone() : _hosts[host];

    private FleetServer Placed(string name) => _servers.TryGetValue(name, out var server) ? server
        : throw new KeyNotFoundException($"no server named {name} is placed");

    private FleetServer Moving(string name) => Placed(name) is { SourceHost: not null } server ? server
        : throw new InvalidOperationException($"server {name} is not moving: there is no resize or migration to confirm or revert");

    private static FleetServer Confirmed(FleetServer server) => server with { SourceHost = null, SourceBoot = null, SourceRequest = null };

    private static FleetServer Reverted(FleetServer server) => server with
    {
        Host = server.SourceHost!,
        Boot = server.SourceBoot!,
        Request = server.SourceRequest!,
        SourceHost = null,
        SourceBoot = null,
        SourceRequest = null,
    };

    private static string? Text(IReadOnlyDictionary<string, JsonElement> properties, string key) =>
        properties.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A locally administered unicast MAC, stable for a server's port.</summary>
    private static string MacOf(string server, string port)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{server}/{port}"));
        return string.Create(CultureInfo.InvariantCulture, $"fa:16:3e:{hash[0]:x2}:{hash[1]:x2}:{hash[2]:x2}");
    }
}

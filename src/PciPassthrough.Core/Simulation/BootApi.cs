using System.Text.Json;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Flavors;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// The API part of a boot (SIM-30…SIM-32): validate the flavor's extra specs (the boot goes on anyway), then the
/// stages <c>image</c> … <c>resources</c> in order; the first failure ends the boot with <c>api_error</c>.
/// </summary>
internal static class BootApi
{
    public const string ImageStage = "image", FlavorImageStage = "flavor_image",
        PolicyStage = "pci_numa_affinity_policy", PciRequestsStage = "pci_requests", PortsStage = "ports",
        ResourcesStage = "resources";

    private static readonly HashSet<string> _tunnelledNetworkTypes = new(StringComparer.Ordinal) { "vxlan", "gre", "geneve" };

    /// <summary>The API report, and the request to schedule unless the API refused the boot.</summary>
    /// <param name="boot">The boot.</param>
    /// <param name="aliases">The fleet's <c>[pci] alias</c>.</param>
    /// <param name="release">Whose rules.</param>
    /// <param name="imageMetadataPrefilter"><c>[scheduler] image_metadata_prefilter</c> (07 LV-19).</param>
    public static (ApiReport Report, ServerRequest? Request) Plan(
        ScenarioBoot boot, AliasOption aliases, NovaRelease release, bool imageMetadataPrefilter)
    {
        var flavor = new Flavor
        {
            Name = $"flavor-{boot.Index}",
            Vcpus = boot.Flavor.Vcpus,
            MemoryMb = boot.Flavor.MemoryMb,
            RootGb = boot.Flavor.RootGb,
            EphemeralGb = boot.Flavor.EphemeralGb,
            Swap = boot.Flavor.Swap,
            ExtraSpecs = boot.Flavor.ExtraSpecs,
        };
        var extraSpecErrors = ExtraSpecValidator.ValidateAll(flavor.ExtraSpecs)
            .Select(rejection => new ExtraSpecError(rejection.Key, rejection.Error)).ToList();
        var stage = ImageStage;
        try
        {
            var image = ImageProperties.Parse(boot.ImageProperties);
            stage = FlavorImageStage;
            // the checks end with the NUMA constraints, so stage numa_topology (SIM-31) cannot fail after them
            var topology = FlavorImageChecks.Validate(flavor, image);
            stage = PolicyStage;
            var policy = PciNumaPolicyResolver.Resolve(flavor.ExtraSpec(PciNumaPolicyResolver.FlavorKey), image.PciNumaAffinityPolicy);
            var requestCount = 0;
            string NewRequestId() => $"{boot.Index}/{requestCount++}";
            stage = PciRequestsStage;
            var requests = new List<PciRequest>();
            if (flavor.ExtraSpec(PciAliasExtraSpec.Key) is { } aliasValue)
            {
                requests.AddRange(PciRequestFactory.FromFlavor(aliasValue, aliases.Parsed(), policy, NewRequestId, release));
            }

            NetworkMetadata? network = null;
            var portOf = new Dictionary<PciRequest, string>();
            if (boot.Ports.Count > 0)
            {
                stage = PortsStage;
                var physnets = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var port in boot.Ports)
                {
                    RejectAcceleratorPort(port);
                    AddPhysnet(physnets, port.PhysicalNetwork);
                    if (PciRequestFactory.FromPort(RequestedPortOf(port), policy, NewRequestId, release) is { } request)
                    {
                        requests.Add(request);
                        portOf[request] = port.Name;
                    }
                }

                network = new NetworkMetadata(
                    physnets.Values.ToHashSet(StringComparer.Ordinal),
                    boot.Ports.Any(p => _tunnelledNetworkTypes.Contains(p.NetworkType)));
            }

            stage = ResourcesStage;
            var resources = PlacementResources.Compute(flavor, image);
            var server = new ServerRequest
            {
                Name = boot.Name,
                Resources = resources.ToDictionary(r => r.Key, r => IntegerText.Saturated(r.Value), StringComparer.Ordinal),
                PciRequests = requests,
                NumaTopology = topology,
                Network = network,
                RequiredTraits = new HashSet<string>(
                    RemoteManagedPortsPrefilter.RequiredTraits(boot.Ports.Select(RequestedPortOf), release)
                        .Union(ImageMetadataPrefilter.RequiredTraits(boot.ImageProperties, imageMetadataPrefilter)),
                    StringComparer.Ordinal),
                CpuPolicies = new CpuPolicyWords(flavor.ExtraSpec("hw:cpu_policy"), image.CpuPolicy,
                    flavor.ExtraSpec("hw:cpu_thread_policy"), image.CpuThreadPolicy),
            };
            var report = new ApiReport
            {
                ExtraSpecErrors = extraSpecErrors,
                NumaTopology = topology is null ? null : TopologyReport(topology),
                PciNumaAffinityPolicy = policy?.ToNovaName(),
                PciRequests = [.. requests.Select((r, i) => RequestReport(r, i, portOf.GetValueOrDefault(r)))],
                Resources = resources,
                NetworkMetadata = network is null ? null
                    : new NetworkMetadataReport([.. network.Physnets.Order(CodePointComparer.Instance)], network.Tunneled),
            };
            return (report, server);
        }
        catch (PciException e)
        {
            return (new ApiReport { Error = e.Error, ErrorStage = stage, ExtraSpecErrors = extraSpecErrors }, null);
        }
    }

    /// <summary>
    /// SIM-31 stage ports: an accelerator port's devices come from its Cyborg device profile, which a scenario's port
    /// never has, so Nova refuses it before adding its physnet (03 RQ-25).
    /// </summary>
    private static void RejectAcceleratorPort(ScenarioPort port)
    {
        if (VnicTypes.TryParse(port.VnicType, out var type) && type.IsAccelerator())
        {
            throw new PciException(PciErrorKinds.DeviceProfileError,
                $"Device profile name None: No device profile for port {port.Name} (vnic_type {port.VnicType}).");
        }
    }

    /// <summary>
    /// SIM-31 stage ports: Nova adds each truthy physnet to a Python set, which cannot hold a list or an object
    /// (<c>TypeError</c>) and keeps the first of equal values (<c>1</c>, <c>1.0</c> and <c>true</c> are one), each
    /// stored as its <c>str()</c>.
    /// </summary>
    private static void AddPhysnet(Dictionary<string, string> physnets, JsonElement? physnet)
    {
        if (physnet is not { } value || !ScenarioReader.IsTruthy(value))
        {
            return;
        }

        if (value.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
        {
            throw new PciException(PciErrorKinds.TypeError,
                $"unhashable type: '{PythonTypeName(value)}' (port physical_network {value.GetRawText()})", novaException: false);
        }

        physnets.TryAdd(value.ValueKind switch
        {
            JsonValueKind.String => "s" + value.GetString(),
            JsonValueKind.True => "n1",
            _ => "n" + (value.TryGetInt64(out var integer) ? PythonNumber.Of(integer) : PythonNumber.Of(value.GetDouble())),
        }, PythonJsonText.Str(value));
    }

    private static string PythonTypeName(JsonElement value) => value.ValueKind == JsonValueKind.Array ? "list" : "dict";

    /// <summary>
    /// The port as the PCI request factory reads it. An SR-IOV port's request stores the physnet as text whatever its
    /// truthiness (<c>0</c> asks for pools tagged <c>"0"</c>, SIM-31 stage ports); a list or an object is no text for
    /// oslo's string field (<c>ValueError</c>).
    /// </summary>
    private static RequestedPort RequestedPortOf(ScenarioPort port)
    {
        var type = VnicTypes.TryParse(port.VnicType, out var parsed) ? parsed : VnicType.Normal;
        if (port.PhysicalNetwork is { ValueKind: JsonValueKind.Array or JsonValueKind.Object } structured && type.NeedsPciDevice())
        {
            throw new PciException(PciErrorKinds.ValueError,
                $"A string is required in field spec[0][physical_network], not a {PythonTypeName(structured)}", novaException: false);
        }

        return new()
        {
            Id = port.Name,
            VnicType = type,
            PhysicalNetwork = port.PhysicalNetwork is { } physnet ? PythonJsonText.Str(physnet) : null,
            Trusted = port.Trusted is { } trusted ? JsonNode.Parse(trusted.GetRawText()) : null,
            NumaAffinityPolicy = port.NumaAffinityPolicy,
        };
    }

    private static GuestTopologyReport TopologyReport(GuestNumaTopology topology) => new(
        [.. topology.Cells.Select((cell, i) => new GuestCellReport(
            i, cell.SharedCpus, cell.DedicatedCpus, cell.MemoryMb, topology.PageSizeKb,
            cell.CpuPolicy?.ToNovaName(), cell.CpuThreadPolicy?.ToNovaName()))],
        topology.EmulatorThreadsPolicy?.ToNovaName());

    private static PciRequestReport RequestReport(PciRequest request, int index, string? port) => new(
        index,
        port is null ? "flavor" : "port",
        request.AliasName,
        port,
        request.Count,
        request.NumaPolicy?.ToNovaName(),
        [.. request.Specs.Select(spec => new JsonObject(spec.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))))]);
}

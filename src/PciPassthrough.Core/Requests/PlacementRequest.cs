using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Placement;
using PciPassthrough.Core.PlacementApi;

namespace PciPassthrough.Core.Requests;

/// <summary>
/// What a server asks of Placement (<c>GET /allocation_candidates</c>): the unsuffixed <see cref="Root"/> group,
/// the numbered groups (the flavor's own first, then one per requested PCI device, 06 PM-24) and the
/// <c>group_policy</c> in force (PM-26). Built by <see cref="Build"/>.
/// </summary>
public sealed record PlacementRequest(RequestGroup Root, IReadOnlyList<RequestGroup> Numbered, GroupPolicy? GroupPolicy)
{
    /// <summary>The trait a <c>socket</c> PCI NUMA policy requires of the compute node (03 RQ-23).</summary>
    public const string SocketAffinityTrait = "COMPUTE_SOCKET_PCI_NUMA_AFFINITY";

    private const string ResourceClassKey = "resource_class", TraitsKey = "traits";
    private const string VendorIdKey = "vendor_id", ProductIdKey = "product_id";

    /// <summary>
    /// PM-26: with two or more numbered groups and no <c>group_policy</c>, Placement refuses the query (400), so
    /// the server gets no valid host.
    /// </summary>
    public bool RejectedByPlacement => Numbered.Count >= 2 && GroupPolicy is null;

    /// <summary>Builds the server's Placement request.</summary>
    /// <param name="rootResources">The flavor's unsuffixed resources (VCPU, MEMORY_MB, DISK_GB, …); zeros are dropped.</param>
    /// <param name="rootTraits">Traits the compute node itself must have (flavor and image <c>trait:</c> keys).</param>
    /// <param name="flavorGroups">The flavor's own numbered groups (<c>resourcesN</c>), in order.</param>
    /// <param name="flavorGroupPolicy">The flavor's <c>group_policy</c>, or null when it sets none.</param>
    /// <param name="pciNumaPolicy">The flavor/image PCI NUMA affinity policy (03 RQ-20); only <c>socket</c> shows here.</param>
    /// <param name="pciRequests">The server's PCI requests (alias and port requests).</param>
    /// <param name="pciInPlacement"><c>[filter_scheduler] pci_in_placement</c>: alias requests become groups.</param>
    /// <param name="release">Which standard trait list decides how alias traits are normalised (06 PM-11).</param>
    /// <exception cref="PciException"><c>NovaException</c> when an alias request has more than one spec (PM-24).</exception>
    public static PlacementRequest Build(
        IReadOnlyDictionary<string, int> rootResources, IEnumerable<string> rootTraits,
        IReadOnlyList<RequestGroup> flavorGroups, GroupPolicy? flavorGroupPolicy, PciNumaPolicy? pciNumaPolicy,
        IReadOnlyList<PciRequest> pciRequests, bool pciInPlacement, NovaRelease release = NovaRelease.Latest)
    {
        ArgumentNullException.ThrowIfNull(rootResources);
        ArgumentNullException.ThrowIfNull(rootTraits);
        ArgumentNullException.ThrowIfNull(flavorGroups);
        ArgumentNullException.ThrowIfNull(pciRequests);

        var required = new HashSet<string>(rootTraits, StringComparer.Ordinal);
        if (pciNumaPolicy == PciNumaPolicy.Socket)
        {
            // RQ-23: even when no PCI device is requested
            required.Add(SocketAffinityTrait);
        }

        var root = new RequestGroup(
            "", rootResources.Where(r => r.Value != 0).ToDictionary(StringComparer.Ordinal),
            Required(required), AggregateFilter.None, null);
        var numbered = new List<RequestGroup>(flavorGroups);
        if (pciInPlacement)
        {
            numbered.AddRange(pciRequests.Where(r => !r.IsFromPort).SelectMany(r => GroupsOf(r, release)));
        }

        return new PlacementRequest(root, numbered, EffectiveGroupPolicy(flavorGroupPolicy, numbered.Count, flavorGroups.Count));
    }

    /// <summary>The query to run; <see cref="RejectedByPlacement"/> must be false.</summary>
    public CandidateQuery ToCandidateQuery(int? limit)
    {
        if (RejectedByPlacement)
        {
            throw new InvalidOperationException("Placement refuses several numbered groups without group_policy (PM-26).");
        }

        var groups = Root.Resources.Count > 0 || !Root.Required.IsEmpty ? [Root, .. Numbered] : Numbered;
        return new CandidateQuery(groups, GroupPolicy == Requests.GroupPolicy.Isolate, limit, NestedAware: true);
    }

    /// <summary>PM-24: one single-device group per requested device, suffixed <c>&lt;request id&gt;-&lt;i&gt;</c>.</summary>
    private static IEnumerable<RequestGroup> GroupsOf(PciRequest request, NovaRelease release)
    {
        if (request.Specs.Count != 1)
        {
            throw new PciException(PciErrorKinds.NovaException,
                $"PCI request {request.RequestId} (alias '{request.AliasName}') has {request.Specs.Count} specs; " +
                "with pci_in_placement an alias must have exactly one spec (03 RQ-9).");
        }

        var spec = request.Specs[0];
        // PM-25: from the alias alone; devices whose device_spec set another resource_class are not asked for
        var resourceClass = spec.GetValueOrDefault(ResourceClassKey) is { Length: > 0 } configured
            ? PlacementNames.NormalizeResourceClass(configured)
            : PlacementNames.ResourceClassOf(
                spec.GetValueOrDefault(VendorIdKey) ?? "", spec.GetValueOrDefault(ProductIdKey) ?? "", null);
        var required = Required(PlacementNames.NormalizeTraits(spec.GetValueOrDefault(TraitsKey), release));
        var resources = new Dictionary<string, int>(StringComparer.Ordinal) { [resourceClass] = 1 };
        for (var i = 0; i < request.Count; i++)
        {
            yield return new RequestGroup($"{request.RequestId}-{i}", resources, required, AggregateFilter.None, null);
        }
    }

    /// <summary>PM-26: Nova defaults to <c>none</c> only when the flavor itself defines at most one numbered group.</summary>
    private static GroupPolicy? EffectiveGroupPolicy(GroupPolicy? flavorPolicy, int numberedGroups, int flavorGroups) =>
        flavorPolicy ?? (numberedGroups >= 2 && flavorGroups <= 1 ? Requests.GroupPolicy.None : null);

    private static TraitFilter Required(IEnumerable<string> traits)
    {
        var anyOf = traits.Order(StringComparer.Ordinal).Select(t => (IReadOnlySet<string>)new HashSet<string>([t], StringComparer.Ordinal)).ToList();
        return anyOf.Count == 0 ? TraitFilter.None : new TraitFilter(anyOf, new HashSet<string>());
    }
}

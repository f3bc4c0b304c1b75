using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Libvirt;

/// <summary>
/// What a compute's libvirt says it can run: the guest architectures of its capabilities (<c>&lt;guest&gt;&lt;arch
/// name=…&gt;</c>) and its version. The vIOMMU capability traits of the compute root provider follow from them
/// (07 LV-18).
/// </summary>
/// <param name="GuestArchitectures">The guest architectures, as libvirt names them (<c>x86_64</c>, <c>aarch64</c>).</param>
/// <param name="LibvirtVersion">The libvirt version.</param>
public sealed record HypervisorCapabilities(IReadOnlySet<string> GuestArchitectures, Version LibvirtVersion)
{
    public const string TraitPrefix = "COMPUTE_VIOMMU_MODEL_";

    /// <summary>The hypervisor the simulator assumes when a host does not say (an x86_64 KVM host with libvirt 9.0.0,
    /// as <see cref="Simulation.Fleet.DomainXml"/> renders for).</summary>
    public static HypervisorCapabilities Assumed { get; } =
        new(new HashSet<string>(["x86_64", "i686"], StringComparer.Ordinal), new Version(9, 0, 0));

    /// <summary>07 LV-19: the root trait naming <paramref name="model"/>: the model upper-cased, '-' → '_'.</summary>
    public static string TraitOf(ViommuModel model) =>
        TraitPrefix + model.ToNovaName().Replace('-', '_').ToUpperInvariant();

    /// <summary>
    /// 07 LV-18, every vIOMMU model trait with whether the compute root provider carries it: <c>AUTO</c> always,
    /// <c>INTEL</c> with x86_64 guests, <c>SMMUV3</c> with aarch64 guests, <c>VIRTIO</c> from libvirt 8.3.0. A trait
    /// mapped to false is one the compute removes from its root provider.
    /// </summary>
    public IReadOnlyDictionary<string, bool> ViommuTraits() => new SortedDictionary<string, bool>(StringComparer.Ordinal)
    {
        [TraitOf(ViommuModel.Auto)] = true,
        [TraitOf(ViommuModel.Intel)] = GuestArchitectures.Contains("x86_64"),
        [TraitOf(ViommuModel.Smmuv3)] = GuestArchitectures.Contains("aarch64"),
        [TraitOf(ViommuModel.Virtio)] = LibvirtVersion >= ViommuResolver.VirtioSince,
    };

    /// <summary>The LV-18 traits the root provider carries.</summary>
    public IEnumerable<string> ReportedViommuTraits() => ViommuTraits().Where(t => t.Value).Select(t => t.Key);
}

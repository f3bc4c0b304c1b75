using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Placement;

/// <summary>
/// One PCI resource provider of a compute's provider tree (06 §2–4): either ONE parent device (a <c>type-PCI</c> or
/// <c>type-PF</c> device) or the VFs / vDPA devices of one PF, all of one resource class and one trait set.
/// </summary>
public sealed class PciResourceProvider
{
    private readonly List<TrackedDevice> _children = [];

    internal PciResourceProvider(string name) => Name = name;

    /// <summary><c>&lt;hypervisor hostname&gt;_&lt;ADDRESS&gt;</c>, the address upper-cased (06 PM-6).</summary>
    public string Name { get; }

    public TrackedDevice? ParentDevice { get; private set; }

    /// <summary>The devices counted on the provider: the parent alone, or the children.</summary>
    public IReadOnlyList<TrackedDevice> Devices => ParentDevice is { } parent ? [parent] : _children;

    /// <summary>The resource class (06 PM-9, PM-10); null while no configured device is on the provider (PM-7, PM-8).</summary>
    public string? ResourceClass { get; private set; }

    /// <summary>The provider's traits (06 PM-12) without <c>OWNER_NOVA</c>; null like <see cref="ResourceClass"/>.</summary>
    public IReadOnlySet<string>? Traits { get; private set; }

    /// <summary>A one-time-use parent device (06 PM-19).</summary>
    public bool IsOneTimeUse { get; private set; }

    /// <summary>A provider with no device left goes away (06 PM-17) unless allocations keep it.</summary>
    public bool IsEmpty => Devices.Count == 0;

    /// <summary>How many of the provider's devices each owner holds, in device order.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Consumers =>
        [.. Devices.Where(d => d.InstanceId is not null).GroupBy(d => d.InstanceId!).Select(g => KeyValuePair.Create(g.Key, g.Count()))];

    public override string ToString() =>
        IsEmpty ? $"RP({Name}, <EMPTY>)" : $"RP({Name}, {ResourceClass}={Devices.Count}, traits={string.Join(",", Traits!.Order(StringComparer.Ordinal))})";

    /// <summary>06 PM-13: a <c>type-PCI</c> / <c>type-PF</c> device owns its provider alone.</summary>
    internal void AddParent(TrackedDevice device, string resourceClass, IReadOnlySet<string> traits, bool oneTimeUse)
    {
        if (!IsEmpty)
        {
            throw Dependent(device);
        }

        ParentDevice = device;
        (ResourceClass, Traits, IsOneTimeUse) = (resourceClass, traits, oneTimeUse);
    }

    /// <summary>06 PM-14: the VFs of one PF share its provider, with one resource class and one trait set.</summary>
    internal void AddChild(TrackedDevice device, string resourceClass, IReadOnlySet<string> traits)
    {
        if (ParentDevice is not null)
        {
            throw Dependent(device);
        }

        if (ResourceClass is not null && ResourceClass != resourceClass)
        {
            throw new PciException(PciErrorKinds.PlacementPciMixedResourceClassException,
                $"PCI device {device.Address} has resource class {resourceClass} but the devices already on provider {Name} " +
                $"({Addresses(_children)}) have {ResourceClass}; the VFs of one PF must share one resource_class.");
        }

        if (Traits is not null && !Traits.SetEquals(traits))
        {
            throw new PciException(PciErrorKinds.PlacementPciMixedTraitsException,
                $"PCI device {device.Address} has traits {Sorted(traits)} but the devices already on provider {Name} " +
                $"({Addresses(_children)}) have {Sorted(Traits)}; the VFs of one PF must share one trait set.");
        }

        _children.Add(device);
        (ResourceClass, Traits) = (resourceClass, traits);
    }

    /// <summary>06 PM-16: a provider without configured devices takes the class its allocations use.</summary>
    internal void Adopt(string resourceClass, IReadOnlySet<string> traits) => (ResourceClass, Traits) = (resourceClass, traits);

    private PciException Dependent(TrackedDevice device) =>
        new(PciErrorKinds.PlacementPciDependentDeviceException,
            $"configuring both {device.Address} and {Addresses(Devices)} is not supported: a PF and its VFs cannot both " +
            $"be reported to Placement (provider {Name}); select either the PF or its VFs in [pci] device_spec.");

    private static string Addresses(IEnumerable<TrackedDevice> devices) => string.Join(",", devices.Select(d => d.Address));

    internal static string Sorted(IEnumerable<string> traits) => string.Join(",", traits.Order(StringComparer.Ordinal));
}

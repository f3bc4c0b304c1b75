using PciPassthrough.Core.Config;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Flavors;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Core.Placement;

/// <summary>
/// The PCI part of a compute's Placement provider tree (06 §2–4), built purely from its tracked devices and the specs
/// that select them now. Zed (scenario-format SIM-50) reports only the configured traits and
/// <c>COMPUTE_MANAGED_PCI_DEVICE</c>; the newest Nova adds live-migration and one-time-use traits (PM-12).
/// </summary>
public sealed class PciPlacementView
{
    private const string PhysicalNetworkTag = "physical_network", ResourceClassTag = "resource_class", TraitsTag = "traits";
    private const string LiveMigratableTag = "live_migratable", OneTimeUseTag = "one_time_use";

    private readonly Dictionary<string, PciResourceProvider> _providers = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];

    private PciPlacementView(string hostName, NovaRelease release) => (HostName, Release) = (hostName, release);

    /// <summary>The hypervisor hostname: the root provider's name and the prefix of every PCI provider.</summary>
    public string HostName { get; }

    public NovaRelease Release { get; }

    /// <summary>The providers in the order their first device was processed.</summary>
    public IReadOnlyList<PciResourceProvider> Providers => [.. _providers.Values];

    /// <summary>Devices left out with a reason an operator should read (06 PM-8).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public PciResourceProvider? Find(string name) => _providers.GetValueOrDefault(name);

    /// <summary>06 PM-6: <c>&lt;host&gt;_&lt;ADDRESS&gt;</c> with the address upper-cased.</summary>
    public static string ProviderName(string hostName, string address) => $"{hostName}_{PythonText.Upper(address)}";

    /// <summary>
    /// 06 PM-1: with reporting off, a compute whose provider tree still has PCI providers (reporting was on before)
    /// refuses to start.
    /// </summary>
    /// <exception cref="PciException"><c>PlacementPciException</c>.</exception>
    public static void EnsureReportingNotDisabled(IEnumerable<IReadOnlySet<string>> providerTraits)
    {
        if (providerTraits.Any(traits => traits.Contains(StandardNames.ManagedPciDeviceTrait)))
        {
            throw new PciException(PciErrorKinds.PlacementPciException,
                "[pci] report_in_placement is false but this compute reported PCI devices to Placement before (providers " +
                $"with {StandardNames.ManagedPciDeviceTrait} exist); disabling it is not supported, set it back to true.");
        }
    }

    /// <summary>
    /// 06 PM-2, PM-4…PM-15: the providers for <paramref name="devices"/>, processed in the given order (the tracker's
    /// ascending addresses).
    /// </summary>
    /// <param name="hostName">The hypervisor hostname.</param>
    /// <param name="specs">The compute's <c>device_spec</c>: a <c>devname</c> entry refuses reporting (PM-2).</param>
    /// <param name="devices">The tracked devices, each with the spec selecting it now.</param>
    /// <param name="release">Which release's traits to report.</param>
    /// <exception cref="PciException">The refusals: <c>PlacementPciException</c>,
    /// <c>PlacementPciDependentDeviceException</c>, <c>PlacementPciMixedResourceClassException</c>,
    /// <c>PlacementPciMixedTraitsException</c>; under Zed <c>AttributeError</c> for a non-string
    /// <c>resource_class</c> / <c>traits</c>.</exception>
    public static PciPlacementView Build(
        string hostName, DeviceSpecSet specs, IEnumerable<TrackedDevice> devices, NovaRelease release)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(devices);
        specs.RejectDevnameForPlacement();
        var view = new PciPlacementView(hostName, release);
        foreach (var device in devices)
        {
            view.Process(device);
        }

        return view;
    }

    private void Process(TrackedDevice device)
    {
        if (device.Status is PciDeviceStatus.Removed or PciDeviceStatus.Deleted)
        {
            // PM-7: nothing of its own, but the provider stays in view for this run
            ProviderOf(device);
            return;
        }

        if (device.Spec is not { } spec)
        {
            if (device.InstanceId is null)
            {
                _warnings.Add($"PCI device {device.Address} matches no [pci] device_spec entry; it is left out of Placement.");
                return;
            }

            _warnings.Add($"PCI device {device.Address} is allocated to {device.InstanceId} but no [pci] device_spec entry " +
                "selects it any more; restore the configuration or move the server.");
            if (Release == NovaRelease.Latest)
            {
                // PM-8: kept in view so its allocation keeps an inventory (PM-16)
                ProviderOf(device);
            }

            return;
        }

        if (spec.TryGetTag(PhysicalNetworkTag, out var physnet) && !NovaJson.IsFalsy(physnet))
        {
            return; // PM-5: Neutron SR-IOV devices stay on the legacy path
        }

        var resourceClass = PlacementNames.ResourceClassOf(
            device.Record.VendorId, device.Record.ProductId, TagText(spec, ResourceClassTag));
        var traits = TraitsOf(spec, device);
        if (device.DeviceType.IsChild())
        {
            if (Release == NovaRelease.Latest && spec.TryGetTag(OneTimeUseTag, out _))
            {
                throw new PciException(PciErrorKinds.PlacementPciException,
                    $"PCI device {device.Address} is a {device.DeviceType.ToNovaName()} but its device_spec sets " +
                    $"one_time_use; only type-PCI and type-PF devices may set it.");
            }

            ProviderOf(device).AddChild(device, resourceClass, traits);
        }
        else
        {
            ProviderOf(device).AddParent(device, resourceClass, traits, IsOneTimeUse(spec));
        }
    }

    /// <summary>06 PM-11, PM-12 (without <c>OWNER_NOVA</c>, which <see cref="PciPlacementPlan"/> adds).</summary>
    private HashSet<string> TraitsOf(DeviceSpec spec, TrackedDevice device)
    {
        var traits = new HashSet<string>(PlacementNames.NormalizeTraits(TagText(spec, TraitsTag), Release), StringComparer.Ordinal)
        {
            StandardNames.ManagedPciDeviceTrait,
        };
        if (Release == NovaRelease.Latest)
        {
            if (spec.TryGetTag(LiveMigratableTag, out var liveMigratable) && NovaBoolean.ParseLenient(liveMigratable))
            {
                traits.Add(StandardNames.LiveMigratableTrait);
            }

            if (!device.DeviceType.IsChild() && IsOneTimeUse(spec))
            {
                traits.Add(StandardNames.OneTimeUseTrait);
            }
        }

        return traits;
    }

    private bool IsOneTimeUse(DeviceSpec spec) =>
        Release == NovaRelease.Latest && spec.TryGetTag(OneTimeUseTag, out var value) && NovaBoolean.ParseLenient(value);

    /// <summary>
    /// A tag's text; an absent or falsy tag reads as none. Zed keeps raw tags, and Nova calls string methods on a
    /// truthy non-string value, which fails with <c>AttributeError</c>.
    /// </summary>
    private static string? TagText(DeviceSpec spec, string tag)
    {
        if (!spec.TryGetTag(tag, out var value) || NovaJson.IsFalsy(value))
        {
            return null;
        }

        return NovaJson.IsString(value, out var text) ? text : throw new PciException(PciErrorKinds.AttributeError,
            $"device_spec tag '{tag}' is {NovaJson.ToText(value)}; Placement reporting needs a string here.",
            novaException: false);
    }

    /// <summary>06 PM-6: parents by their own address, VFs / vDPA devices by their parent's.</summary>
    private PciResourceProvider ProviderOf(TrackedDevice device)
    {
        string address;
        if (device.DeviceType.IsChild())
        {
            address = device.Record.ParentAddress is { Length: > 0 } parent ? parent : throw new PciException(
                PciErrorKinds.PlacementPciException,
                $"PCI device {device.Address} is a {device.DeviceType.ToNovaName()} without a parent address; cannot " +
                "name its Placement provider.");
        }
        else
        {
            address = device.Address;
        }

        var name = ProviderName(HostName, address);
        if (!_providers.TryGetValue(name, out var provider))
        {
            provider = new PciResourceProvider(name);
            _providers[name] = provider;
        }

        return provider;
    }
}

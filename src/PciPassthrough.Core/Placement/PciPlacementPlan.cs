using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Pools;

namespace PciPassthrough.Core.Placement;

/// <summary>
/// The Placement update of one compute for its PCI devices (06 PM-16…PM-21), decided purely from the view and what
/// Placement holds: providers to delete, inventories and traits to set, and the healed allocations. Written together.
/// </summary>
public sealed class PciPlacementPlan
{
    private PciPlacementPlan(
        IReadOnlyList<string> deleted, IReadOnlyList<PciProviderPlan> providers,
        Dictionary<string, Dictionary<string, Dictionary<string, int>>> allocations, bool allocationsChanged,
        IReadOnlyList<string> warnings)
    {
        DeletedProviders = deleted;
        Providers = providers;
        Allocations = allocations;
        AllocationsChanged = allocationsChanged;
        Warnings = warnings;
    }

    /// <summary>Names of the providers to delete (PM-18 step 1, and providers left with total 0).</summary>
    public IReadOnlyList<string> DeletedProviders { get; }

    /// <summary>The providers to create or update, in view order.</summary>
    public IReadOnlyList<PciProviderPlan> Providers { get; }

    /// <summary>Every consumer's allocations after healing: consumer → provider uuid → resource class → amount.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, Dictionary<string, int>>> Allocations { get; }

    /// <summary>Whether healing changed any allocation (PM-21).</summary>
    public bool AllocationsChanged { get; }

    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// 06 PM-16…PM-21 for the newest release.
    /// </summary>
    /// <param name="view">The compute's PCI providers.</param>
    /// <param name="state">What Placement holds for the compute now.</param>
    /// <param name="newUuid">Makes a provider uuid (the compute names new providers itself, PM-6).</param>
    /// <param name="sameHostResizeInstances">Instances in a same-host resize: never healed (PM-21).</param>
    /// <exception cref="PciException"><c>PlacementPciException</c> when a class in use would lose its inventory (PM-20).</exception>
    public static PciPlacementPlan Create(
        PciPlacementView view, PlacementState state, Func<string> newUuid, IReadOnlyCollection<string> sameHostResizeInstances)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(newUuid);
        var existing = state.Providers.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var allocations = state.Allocations.ToDictionary(
            c => c.Key,
            c => c.Value.ToDictionary(p => p.Key, p => p.Value.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal),
                StringComparer.Ordinal),
            StringComparer.Ordinal);
        var deleted = state.Providers
            .Where(p => p.Traits.Contains(StandardNames.ManagedPciDeviceTrait) && view.Find(p.Name) is null)
            .Select(p => p.Name).ToList();
        var plans = new List<PciProviderPlan>();
        var warnings = new List<string>();
        var healed = false;
        foreach (var provider in view.Providers)
        {
            var current = existing.GetValueOrDefault(provider.Name);
            var usage = current is null ? [] : Usage(allocations, current.Uuid);
            if (provider.ResourceClass is null && usage.Count > 0)
            {
                provider.Adopt(usage.Keys.First(), current!.Traits.Where(t => t != StandardNames.OwnerNovaTrait).ToHashSet());
            }

            var deviceCount = provider.Devices.Count;
            var used = provider.ResourceClass is { } rc ? usage.GetValueOrDefault(rc) : 0;
            var adjustment = Math.Max(0, used - deviceCount);
            if (adjustment > 0)
            {
                warnings.Add($"needed to adjust inventories of {provider.Name} by {adjustment} due to existing allocations " +
                    $"({used} {provider.ResourceClass} in use, {deviceCount} device(s) configured).");
            }

            var total = deviceCount + adjustment;
            if (total == 0)
            {
                if (current is not null)
                {
                    deleted.Add(provider.Name);
                }

                continue;
            }

            RefuseLostInventoryInUse(provider, usage);
            var uuid = current?.Uuid ?? newUuid();
            var inUseOnce = provider.IsOneTimeUse && provider.Devices.Any(d => d.InstanceId is not null);
            var traits = new HashSet<string>(provider.Traits!, StringComparer.Ordinal) { StandardNames.OwnerNovaTrait };
            plans.Add(new PciProviderPlan(provider.Name, uuid, current is null, provider.ResourceClass!, total,
                inUseOnce ? total : null, traits, adjustment, provider.Devices));
            healed |= Heal(provider, uuid, allocations, sameHostResizeInstances);
        }

        return new PciPlacementPlan(deleted, plans, allocations, healed, warnings);
    }

    /// <summary>06 PM-18 step 3: each device records its provider and each pool gets its provider (04 PL-6).</summary>
    public void RecordProviders(DevicePools pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        foreach (var provider in Providers)
        {
            foreach (var device in provider.Devices)
            {
                device.ProviderUuid = provider.Uuid;
            }
        }

        pools.AssignProviders();
    }

    private static Dictionary<string, int> Usage(
        Dictionary<string, Dictionary<string, Dictionary<string, int>>> allocations, string providerUuid)
    {
        var usage = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var consumer in allocations.Values)
        {
            foreach (var (resourceClass, amount) in consumer.GetValueOrDefault(providerUuid) ?? [])
            {
                usage[resourceClass] = usage.GetValueOrDefault(resourceClass) + amount;
            }
        }

        return usage;
    }

    /// <summary>06 PM-20: Placement refuses to drop an inventory that is in use; the compute cannot start then.</summary>
    private static void RefuseLostInventoryInUse(PciResourceProvider provider, Dictionary<string, int> usage)
    {
        if (usage.FirstOrDefault(u => u.Value > 0 && u.Key != provider.ResourceClass) is { Key: not null } lost)
        {
            throw new PciException(PciErrorKinds.PlacementPciException,
                $"provider {provider.Name} would change its inventory from {lost.Key} to {provider.ResourceClass} while " +
                $"{lost.Value} {lost.Key} are allocated (inventory in use); restore the [pci] device_spec entry or move " +
                "the servers first.");
        }
    }

    /// <summary>06 PM-21: each owner's allocation on the provider equals the number of its devices there.</summary>
    private static bool Heal(
        PciResourceProvider provider, string uuid, Dictionary<string, Dictionary<string, Dictionary<string, int>>> allocations,
        IReadOnlyCollection<string> sameHostResizeInstances)
    {
        var changed = false;
        foreach (var (owner, count) in provider.Consumers)
        {
            // an owner without allocations has them held by a migration; a same-host resize is healed afterwards
            if (!allocations.TryGetValue(owner, out var consumer) || sameHostResizeInstances.Contains(owner))
            {
                continue;
            }

            if (!consumer.TryGetValue(uuid, out var resources))
            {
                resources = new Dictionary<string, int>(StringComparer.Ordinal);
                consumer[uuid] = resources;
            }

            if (resources.GetValueOrDefault(provider.ResourceClass!) != count)
            {
                resources[provider.ResourceClass!] = count;
                changed = true;
            }
        }

        return changed;
    }
}

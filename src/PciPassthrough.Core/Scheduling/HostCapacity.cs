using System.Globalization;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// A compute node's VCPU / PCPU / MEMORY_MB inventory and what placed servers use of it — the capacity model the
/// scheduler asks Placement about (SIM-45, SIM-46). PCI devices are not part of it in Zed.
/// </summary>
public sealed class HostCapacity
{
    public const string Vcpu = "VCPU", Pcpu = "PCPU", MemoryMb = "MEMORY_MB", DiskGb = "DISK_GB";

    private readonly ResourceInventory[] _inventories;

    // parallel to _inventories: flat, so the scheduler's check per host reads two small arrays, not a dictionary
    private readonly long[] _used;

    private HostCapacity(ResourceInventory[] inventories, long[] used) => (_inventories, _used) = (inventories, used);

    /// <summary>Classes with a non-zero total, in the order VCPU, PCPU, MEMORY_MB.</summary>
    public IReadOnlyList<ResourceInventory> Inventories => _inventories;

    /// <summary>SIM-45: totals from the host's cells; <c>max_unit</c> = total; a class with total 0 has no inventory.</summary>
    public static HostCapacity Create(long sharedCpus, long dedicatedCpus, long memoryMb, double cpuAllocationRatio,
        double ramAllocationRatio, long reservedHostMemoryMb)
    {
        ResourceInventory?[] all =
        [
            sharedCpus > 0 ? new(Vcpu, sharedCpus, 0, cpuAllocationRatio, sharedCpus) : null,
            dedicatedCpus > 0 ? new(Pcpu, dedicatedCpus, 0, 1, dedicatedCpus) : null,
            memoryMb > 0 ? new(MemoryMb, memoryMb, reservedHostMemoryMb, ramAllocationRatio, memoryMb) : null,
        ];
        ResourceInventory[] inventories = [.. all.OfType<ResourceInventory>()];
        return new HostCapacity(inventories, new long[inventories.Length]);
    }

    /// <summary>How much of each inventory class placed servers use.</summary>
    public IReadOnlyDictionary<string, long> Used =>
        _inventories.Select((inventory, i) => KeyValuePair.Create(inventory.ResourceClass, _used[i])).ToDictionary(StringComparer.Ordinal);

    public HostCapacity Clone() => new(_inventories, [.. _used]);

    /// <summary><see cref="Check"/>'s verdict alone, without building reasons: the scheduler's hot path.</summary>
    public bool Fits(ReadOnlySpan<KeyValuePair<string, long>> resources)
    {
        foreach (var (resourceClass, amount) in resources)
        {
            if (resourceClass == DiskGb)
            {
                continue;
            }

            var index = IndexOf(resourceClass);
            if (index < 0 || amount > _inventories[index].MaxUnit || _used[index] + amount > _inventories[index].Capacity)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>SIM-46: each requested class except DISK_GB (not modelled) must exist and have room.</summary>
    public CapacityVerdict Check(IReadOnlyDictionary<string, long> resources)
    {
        var reasons = new List<string>();
        var free = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (resourceClass, amount) in resources)
        {
            if (resourceClass == DiskGb)
            {
                continue;
            }

            var index = IndexOf(resourceClass);
            if (index < 0)
            {
                reasons.Add($"no {resourceClass} inventory");
                continue;
            }

            var (inventory, used) = (_inventories[index], _used[index]);
            free[resourceClass] = inventory.Capacity - used;
            if (amount > inventory.MaxUnit)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{resourceClass}: needs {amount}, more than the largest allocation allowed (max_unit {inventory.MaxUnit})"));
            }
            else if (used + amount > inventory.Capacity)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{resourceClass}: needs {amount}, {inventory.Capacity - used:0.###} free of {inventory.Capacity:0.###} ({used} in use)"));
            }
        }

        return new CapacityVerdict(reasons, free);
    }

    /// <summary>A placed server adds its amounts to the classes that have an inventory; a delete subtracts them.</summary>
    public void Add(IReadOnlyDictionary<string, long> resources, int sign = 1)
    {
        foreach (var (resourceClass, amount) in resources)
        {
            if (IndexOf(resourceClass) is var index and >= 0)
            {
                _used[index] += sign * amount;
            }
        }
    }

    private int IndexOf(string resourceClass)
    {
        for (var i = 0; i < _inventories.Length; i++)
        {
            if (_inventories[i].ResourceClass == resourceClass)
            {
                return i;
            }
        }

        return -1;
    }
}

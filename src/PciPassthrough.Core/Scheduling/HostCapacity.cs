using System.Globalization;
using System.Numerics;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// A compute node's VCPU / PCPU / MEMORY_MB inventory and what placed servers use of it — the capacity model the
/// scheduler asks Placement about (SIM-45, SIM-46). PCI devices are not part of it in Zed.
/// </summary>
public sealed class HostCapacity
{
    public const string Vcpu = "VCPU", Pcpu = "PCPU", MemoryMb = "MEMORY_MB", DiskGb = "DISK_GB";

    private readonly ResourceInventory[] _inventories;

    // parallel to _inventories: what the scheduler's check per host reads, in one small array (one or two cache lines
    // per host over a fleet of thousands) rather than an inventory object per class
    private readonly Slot[] _slots;

    private HostCapacity(ResourceInventory[] inventories, Slot[] slots) => (_inventories, _slots) = (inventories, slots);

    /// <summary>Classes with a non-zero total, in the order VCPU, PCPU, MEMORY_MB.</summary>
    public IReadOnlyList<ResourceInventory> Inventories => _inventories;

    /// <summary>
    /// SIM-45: totals from the host's cells; <c>max_unit</c> = total; a class with total 0 has no inventory. Memory
    /// is tested for truth as Nova does (<c>if memory:</c>), so cells with negative memory still report an inventory.
    /// </summary>
    public static HostCapacity Create(long sharedCpus, long dedicatedCpus, BigInteger memoryMb, double cpuAllocationRatio,
        double ramAllocationRatio, long reservedHostMemoryMb)
    {
        ResourceInventory?[] all =
        [
            sharedCpus > 0 ? new(Vcpu, sharedCpus, 0, cpuAllocationRatio, sharedCpus) : null,
            dedicatedCpus > 0 ? new(Pcpu, dedicatedCpus, 0, 1, dedicatedCpus) : null,
            memoryMb != 0 ? new(MemoryMb, memoryMb, reservedHostMemoryMb, ramAllocationRatio, memoryMb) : null,
        ];
        ResourceInventory[] inventories = [.. all.OfType<ResourceInventory>()];
        return new HostCapacity(inventories, [.. inventories.Select(i => new Slot(i.ResourceClass, i.MaxUnit, i.Capacity, 0))]);
    }

    /// <summary>How much of each inventory class placed servers use.</summary>
    public IReadOnlyDictionary<string, BigInteger> Used =>
        _slots.Select(slot => KeyValuePair.Create(slot.ResourceClass, slot.Used)).ToDictionary(StringComparer.Ordinal);

    public HostCapacity Clone() => new(_inventories, [.. _slots]);

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
            if (index < 0 || amount > _slots[index].MaxUnit || _slots[index].Capacity.IsExceededBy(_slots[index].Used + amount))
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
        var free = new Dictionary<string, PythonNumber>(StringComparer.Ordinal);
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

            var (capacity, maxUnit, used) = (_slots[index].Capacity, _slots[index].MaxUnit, _slots[index].Used);
            free[resourceClass] = capacity.Minus(used);
            if (amount > maxUnit)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{resourceClass}: needs {amount}, more than the largest allocation allowed (max_unit {maxUnit})"));
            }
            else if (capacity.IsExceededBy(used + amount))
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{resourceClass}: needs {amount}, {free[resourceClass]} free of {capacity} ({used} in use)"));
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
                _slots[index].Used += sign * amount;
            }
        }
    }

    private int IndexOf(string resourceClass)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].ResourceClass == resourceClass)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>One class: its limits (from the inventory) and its usage.</summary>
    private struct Slot(string resourceClass, BigInteger maxUnit, PythonNumber capacity, BigInteger used)
    {
        public readonly string ResourceClass = resourceClass;
        public readonly BigInteger MaxUnit = maxUnit;
        public readonly PythonNumber Capacity = capacity;
        public BigInteger Used = used;
    }
}

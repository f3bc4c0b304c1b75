using PciPassthrough.Core.Devices;

namespace PciPassthrough.Core.Pools;

/// <summary>
/// One pool of a compute host (04 §1): its identity, how many devices it offers and which, in the order they were
/// added. Devices are taken from the END of <see cref="Devices"/> (PL-21).
/// </summary>
/// <remarks><see cref="Count"/> normally equals the number of devices; Nova lets a negative request count raise it
/// (scenario-format §7 item 10), and a compute-side consume keeps the pool at count 0 (PL-20).</remarks>
public sealed class DevicePool : IPoolEntry
{
    private readonly List<TrackedDevice> _devices;

    internal DevicePool(PoolKeys keys, long count = 0, IEnumerable<TrackedDevice>? devices = null)
    {
        Keys = keys;
        Count = count;
        _devices = devices is null ? [] : [.. devices];
    }

    public PoolKeys Keys { get; }
    public long Count { get; internal set; }
    public IReadOnlyList<TrackedDevice> Devices => _devices;

    /// <summary>The Placement provider of the pool's devices (04 PL-6), once reporting has translated the host.</summary>
    public string? RpUuid { get; internal set; }

    /// <summary>The number of entries of Nova's pool dict, which orders the pool list (PL-4).</summary>
    internal int EntryCount => Keys.Count + 2 + (RpUuid is null ? 0 : 1);

    internal void Append(TrackedDevice device)
    {
        _devices.Add(device);
        device.Pool = this;
    }

    /// <summary>Pops the most recently added device (PL-21); Nova fails with <c>IndexError</c> on an empty list.</summary>
    internal TrackedDevice? PopLast()
    {
        if (_devices.Count == 0)
        {
            return null;
        }

        var device = _devices[^1];
        _devices.RemoveAt(_devices.Count - 1);
        device.Pool = null;
        return device;
    }

    internal bool Detach(TrackedDevice device)
    {
        if (!_devices.Remove(device))
        {
            return false;
        }

        device.Pool = null;
        return true;
    }

    public override string ToString() => $"{Keys} ×{Count}";
}

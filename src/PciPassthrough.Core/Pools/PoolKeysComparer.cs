namespace PciPassthrough.Core.Pools;

/// <summary>Exact identity: the same key set with equal values, in any order. Indexes pools for fast lookup.</summary>
internal sealed class PoolKeysComparer : IEqualityComparer<PoolKeys>
{
    public static PoolKeysComparer Instance { get; } = new();

    public bool Equals(PoolKeys? x, PoolKeys? y)
    {
        if (x is null || y is null)
        {
            return ReferenceEquals(x, y);
        }

        if (x.Count != y.Count)
        {
            return false;
        }

        foreach (var (name, value) in x.Entries)
        {
            if (!y.TryGetValue(name, out var other) || other != value)
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(PoolKeys keys)
    {
        // order-insensitive: a sum of per-entry hashes
        var hash = 0;
        foreach (var (name, value) in keys.Entries)
        {
            hash = unchecked(hash + HashCode.Combine(StringComparer.Ordinal.GetHashCode(name), value));
        }

        return hash;
    }
}

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

        for (var i = 0; i < x.Count; i++)
        {
            if (!y.TryGetValue(x.NameAt(i), out var other) || other != x.ValueAt(i))
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
        for (var i = 0; i < keys.Count; i++)
        {
            hash = unchecked(hash + HashCode.Combine(StringComparer.Ordinal.GetHashCode(keys.NameAt(i)), keys.ValueAt(i)));
        }

        return hash;
    }
}

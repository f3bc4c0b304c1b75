namespace PciPassthrough.Core.Pools;

/// <summary>Exact identity: the same key set with equal values, in any order. Indexes pools for fast lookup.</summary>
internal sealed class PoolKeysComparer : IEqualityComparer<PoolKeys>
{
    public static PoolKeysComparer Instance { get; } = new();

    public bool Equals(PoolKeys? x, PoolKeys? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.Count != y.Count || x.ExactHash != y.ExactHash)
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

    public int GetHashCode(PoolKeys keys) => keys.ExactHash;
}

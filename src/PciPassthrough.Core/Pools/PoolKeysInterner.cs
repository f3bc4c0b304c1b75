namespace PciPassthrough.Core.Pools;

/// <summary>
/// One shared <see cref="PoolKeys"/> instance per distinct scheduler identity, across hosts. Computes of a fleet publish
/// the same few identities, so a decision over thousands of hosts reads the same keys again and again: shared, they stay
/// in the CPU cache and the scheduler's cost per host is its counts, not its own copy of every key and value. Entries are
/// weak, so identities no summary uses any more are collected.
/// </summary>
internal static class PoolKeysInterner
{
    private const int MinPurgeThreshold = 1024;

    private static readonly Lock _lock = new();
    private static readonly Dictionary<int, List<WeakReference<PoolKeys>>> _byHash = [];
    private static int _entries;
    private static int _purgeAt = MinPurgeThreshold;

    /// <summary>The shared instance identical to <paramref name="keys"/> (same names in the same order, same values).</summary>
    public static PoolKeys Intern(PoolKeys keys)
    {
        lock (_lock)
        {
            if (!_byHash.TryGetValue(keys.ExactHash, out var bucket))
            {
                _byHash[keys.ExactHash] = bucket = [];
            }

            foreach (var entry in bucket)
            {
                if (entry.TryGetTarget(out var shared) && shared.IsIdenticalTo(keys))
                {
                    return shared;
                }
            }

            bucket.Add(new WeakReference<PoolKeys>(keys));
            if (++_entries >= _purgeAt)
            {
                Purge();
            }

            return keys;
        }
    }

    private static void Purge()
    {
        foreach (var (hash, bucket) in _byHash)
        {
            bucket.RemoveAll(entry => !entry.TryGetTarget(out _));
            if (bucket.Count == 0)
            {
                _byHash.Remove(hash);
            }
        }

        _entries = _byHash.Values.Sum(bucket => bucket.Count);
        _purgeAt = Math.Max(MinPurgeThreshold, 2 * _entries);
    }
}

using System.Collections;
using System.Runtime.CompilerServices;

namespace PciPassthrough.Core.Devices;

/// <summary>
/// An append-only list stored in chunks of at most 64 KiB, so a large host's device lists never reach the large object
/// heap (arrays of 85,000 bytes or more), whose allocations trigger gen-2 collections and made a sync of 20,000
/// devices cost 4 × one of 10,000. The first chunk grows like a <see cref="List{T}"/>, so a small host pays nothing.
/// </summary>
internal sealed class SegmentedList<T> : IReadOnlyList<T>
{
    private const int ChunkBytes = 64 * 1024;

    // elements per chunk: the largest power of two whose chunk fits in ChunkBytes
    private static readonly int _shift = int.Log2(ChunkBytes / Unsafe.SizeOf<T>());
    private static readonly int _chunkLength = 1 << _shift;

    private T[][] _chunks = [];

    public int Count { get; private set; }

    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(unchecked((uint)index), (uint)Count, nameof(index));
            return _chunks[index >> _shift][index & (_chunkLength - 1)];
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(unchecked((uint)index), (uint)Count, nameof(index));
            _chunks[index >> _shift][index & (_chunkLength - 1)] = value;
        }
    }

    public void Add(T item)
    {
        var (chunk, offset) = (Count >> _shift, Count & (_chunkLength - 1));
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, Math.Max(1, _chunks.Length * 2));
        }

        if (_chunks[chunk] is not { } items || offset == items.Length)
        {
            // only the first chunk starts small; every later one is allocated at full length
            var length = chunk == 0 ? Math.Min(_chunkLength, Math.Max(4, offset * 2)) : _chunkLength;
            Array.Resize(ref _chunks[chunk], length);
        }

        _chunks[chunk][offset] = item;
        Count++;
    }

    public void AddRange(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            Add(item);
        }
    }

    public void Clear()
    {
        _chunks = [];
        Count = 0;
    }

    /// <summary>Removes every item matching <paramref name="match"/>, keeping the others in order.</summary>
    public void RemoveAll(Predicate<T> match)
    {
        var kept = 0;
        for (var index = 0; index < Count; index++)
        {
            var item = this[index];
            if (!match(item))
            {
                _chunks[kept >> _shift][kept & (_chunkLength - 1)] = item;
                kept++;
            }
        }

        for (var index = kept; index < Count; index++)
        {
            _chunks[index >> _shift][index & (_chunkLength - 1)] = default!;
        }

        Count = kept;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(SegmentedList<T> list) : IEnumerator<T>
    {
        private int _index = -1;

        public readonly T Current => list[_index];

        readonly object? IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < list.Count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}

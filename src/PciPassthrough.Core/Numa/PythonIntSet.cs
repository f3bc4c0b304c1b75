namespace PciPassthrough.Core.Numa;

/// <summary>
/// The hash table of a CPython 3.11 <c>set</c> of integers, modelled only as far as its iteration order goes (SIM-39):
/// a set iterates in slot order, and where an integer lands depends on the table size and on which integers were
/// inserted before it (open addressing: up to 9 linear probes, then perturbed jumps). No removal: the sets Nova
/// pins from are always built by insertion or copying.
/// </summary>
internal sealed class PythonIntSet
{
    private const int MinSize = 8;
    private const int LinearProbes = 9;
    private const int PerturbShift = 5;

    private int?[] _slots;
    private int _count;

    private PythonIntSet(int size) => _slots = new int?[size];

    /// <summary><c>set(items)</c>: each item added in turn, the table growing as CPython grows it.</summary>
    public static PythonIntSet Of(IEnumerable<int> items)
    {
        var set = new PythonIntSet(MinSize);
        foreach (var item in items)
        {
            set.Add(item);
        }

        return set;
    }

    /// <summary>
    /// <c>set.update(other)</c> on an empty set (CPython's <c>set_merge</c>): sized once for twice the items, then the
    /// slots copied as they are when the sizes agree, else re-inserted in <paramref name="other"/>'s order.
    /// </summary>
    public static PythonIntSet CopyOf(PythonIntSet other)
    {
        var copy = new PythonIntSet(MinSize);
        copy.Merge(other);
        return copy;
    }

    /// <summary>The items in iteration order.</summary>
    public int[] Order()
    {
        var order = new int[_count];
        var next = 0;
        foreach (var slot in _slots)
        {
            if (slot is { } item)
            {
                order[next++] = item;
            }
        }

        return order;
    }

    /// <summary><c>set_add_entry</c>: grows to 4 × the item count once the table is 3/5 full.</summary>
    public void Add(int item)
    {
        var mask = _slots.Length - 1;
        foreach (var slot in Probe(item, mask))
        {
            if (_slots[slot] is not { } found)
            {
                _slots[slot] = item;
                _count++;
                if ((long)_count * 5 >= (long)mask * 3)
                {
                    Resize(_count > 50000 ? _count * 2 : _count * 4);
                }

                return;
            }

            if (found == item)
            {
                return;
            }
        }
    }

    /// <summary><c>set_merge</c> (the union <c>a | b</c> merges b into a copy of a).</summary>
    public void Merge(PythonIntSet other)
    {
        if (other._count == 0)
        {
            return;
        }

        if ((long)(_count + other._count) * 5 >= (long)(_slots.Length - 1) * 3)
        {
            Resize((_count + other._count) * 2);
        }

        if (_count == 0 && _slots.Length == other._slots.Length)
        {
            _slots = (int?[])other._slots.Clone();
            _count = other._count;
            return;
        }

        if (_count == 0)
        {
            foreach (var item in other.Order())
            {
                InsertClean(item);
            }

            _count = other._count;
            return;
        }

        foreach (var item in other.Order())
        {
            Add(item);
        }
    }

    /// <summary><c>set_table_resize</c>: the smallest power of two above <paramref name="minUsed"/>, items re-inserted in slot order.</summary>
    private void Resize(int minUsed)
    {
        var size = MinSize;
        while (size <= minUsed)
        {
            size <<= 1;
        }

        var items = Order();
        _slots = new int?[size];
        foreach (var item in items)
        {
            InsertClean(item);
        }
    }

    private void InsertClean(int item)
    {
        foreach (var slot in Probe(item, _slots.Length - 1))
        {
            if (_slots[slot] is null)
            {
                _slots[slot] = item;
                return;
            }
        }
    }

    /// <summary>The slots CPython visits for <paramref name="item"/>: the home slot and up to 9 neighbours, then jumps.</summary>
    private static IEnumerable<int> Probe(int item, int mask)
    {
        // hash(n) is n for every int32 except -1, whose hash is -2
        var perturb = unchecked((ulong)(item == -1 ? -2L : item));
        var slot = perturb & (ulong)mask;
        while (true)
        {
            yield return (int)slot;
            if (slot + LinearProbes <= (ulong)mask)
            {
                for (var j = 1UL; j <= LinearProbes; j++)
                {
                    yield return (int)(slot + j);
                }
            }

            perturb >>= PerturbShift;
            slot = ((slot * 5) + 1 + perturb) & (ulong)mask;
        }
    }
}

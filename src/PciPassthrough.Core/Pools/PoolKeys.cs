using System.Text.Json.Nodes;

namespace PciPassthrough.Core.Pools;

/// <summary>
/// The identity map of a device pool (04 PL-1): <c>vendor_id</c>, <c>product_id</c>, <c>numa_node</c>, <c>dev_type</c>,
/// the spec's tags and the derived keys, in insertion order. A later key of the same name replaces the value in place,
/// as a Python dict update does (so a tag named <c>dev_type</c> overrides the device's type, as in Nova).
/// </summary>
public sealed class PoolKeys
{
    public const string VendorId = "vendor_id", ProductId = "product_id", NumaNode = "numa_node", DeviceType = "dev_type";
    public const string RemoteManaged = "remote_managed", LiveMigratable = "live_migratable";

    private readonly string[] _names;
    private readonly PoolValue[] _values;

    private PoolKeys(string[] names, PoolValue[] values)
    {
        _names = names;
        _values = values;
        Numa = this[NumaNode];
        DeviceTypeName = this[DeviceType].AsString;
        IsRemoteManaged = this[RemoteManaged].IsTrue();
        for (var i = 0; i < names.Length; i++)
        {
            HasNullBeyondNuma |= values[i].IsNull && names[i] != NumaNode;

            // order-insensitive: a sum of per-entry hashes
            ExactHash = unchecked(ExactHash + HashCode.Combine(StringComparer.Ordinal.GetHashCode(names[i]), values[i]));
        }
    }

    public int Count => _names.Length;

    internal string NameAt(int index) => _names[index];

    internal PoolValue ValueAt(int index) => _values[index];

    public IEnumerable<KeyValuePair<string, PoolValue>> Entries =>
        _names.Select((name, i) => KeyValuePair.Create(name, _values[i]));

    /// <summary>The value of <paramref name="name"/>, or <see cref="PoolValue.Null"/> when absent (Python's <c>get</c>).</summary>
    public PoolValue this[string name] => TryGetValue(name, out var value) ? value : default;

    /// <summary>The <c>numa_node</c> value (null for a device without NUMA affinity).</summary>
    internal PoolValue Numa { get; }

    /// <summary>The <c>dev_type</c> value when it is a string.</summary>
    internal string? DeviceTypeName { get; }

    /// <summary>Whether a key other than <c>numa_node</c> (which every pool has) is null: only then can Nova's pool
    /// lookup find a pool with a different key set (<see cref="Identifies"/>).</summary>
    internal bool HasNullBeyondNuma { get; }

    /// <summary>The hash of <see cref="PoolKeysComparer"/>: computed once, as one identity serves many devices.</summary>
    internal int ExactHash { get; }

    /// <summary>The <c>remote_managed</c> key read leniently (04 PL-11 step 5).</summary>
    internal bool IsRemoteManaged { get; }

    public bool TryGetValue(string name, out PoolValue value)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.Ordinal))
            {
                value = _values[i];
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// 04 PL-3 as Nova does it: the same number of keys, and every key of <paramref name="device"/> has an equal value
    /// here, a missing key reading as null (so <c>{a: null}</c> finds a pool with another key instead of <c>a</c>).
    /// </summary>
    internal bool Identifies(PoolKeys device)
    {
        if (device._names.Length != _names.Length)
        {
            return false;
        }

        for (var i = 0; i < device._names.Length; i++)
        {
            if (this[device._names[i]] != device._values[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The same names in the same order with identical values (what <see cref="PoolKeysInterner"/> shares).</summary>
    internal bool IsIdenticalTo(PoolKeys other)
    {
        if (other._names.Length != _names.Length || other.ExactHash != ExactHash)
        {
            return false;
        }

        for (var i = 0; i < _names.Length; i++)
        {
            if (!string.Equals(_names[i], other._names[i], StringComparison.Ordinal) || !_values[i].IsIdenticalTo(other._values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The keys as the scheduler reads them (04 PL-7, SIM-35): <c>vendor_id</c> and <c>product_id</c> unchanged,
    /// <c>numa_node</c> as an integer, every other value as Python's <c>str()</c>.
    /// </summary>
    /// <exception cref="Errors.PciException"><c>ValueError</c> when a tag is a list or an object, or when a <c>numa_node</c>
    /// tag is no integer (<see cref="PoolValue.ToSchedulerInteger"/>).</exception>
    internal PoolKeys ToSchedulerKeys()
    {
        var values = new PoolValue[_values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _names[i] switch
            {
                VendorId or ProductId => _values[i],
                NumaNode => _values[i].ToSchedulerInteger(),
                _ => _values[i].ToSchedulerText(_names[i]),
            };
        }

        return new PoolKeys(_names, values);
    }

    /// <summary>The map as a JSON object (the <c>keys</c> of a pool report).</summary>
    public JsonObject ToJsonObject()
    {
        var json = new JsonObject();
        for (var i = 0; i < _names.Length; i++)
        {
            json[_names[i]] = _values[i].ToJson();
        }

        return json;
    }

    public override string ToString() => string.Join(", ", Entries.Select(e => $"{e.Key}={e.Value}"));

    /// <summary>Builds a map with Python dict semantics: setting an existing key keeps its position.</summary>
    internal sealed class Builder
    {
        private readonly List<string> _names = [];
        private readonly List<PoolValue> _values = [];

        public Builder Set(string name, PoolValue value)
        {
            var index = _names.IndexOf(name);
            if (index < 0)
            {
                _names.Add(name);
                _values.Add(value);
            }
            else
            {
                _values[index] = value;
            }

            return this;
        }

        public PoolValue Get(string name) => _names.IndexOf(name) is var i and >= 0 ? _values[i] : default;

        public PoolKeys Build() => new([.. _names], [.. _values]);
    }
}

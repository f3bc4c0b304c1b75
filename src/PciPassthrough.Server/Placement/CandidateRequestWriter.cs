using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using PciPassthrough.Core.PlacementApi;

namespace PciPassthrough.Server.Placement;

/// <summary>Writes <c>allocation_requests</c> (PA-49) and remembers which providers and trees they use (for the
/// summaries). A candidate whose allocations and mappings are its slots' own (no merge, the usual case) is copied
/// together from each slot choice's JSON, encoded once per tree with the writer below; any other is built and
/// written property by property. Both give the same bytes.</summary>
internal sealed class CandidateRequestWriter
{
    private static readonly JsonEncodedText _allocations = JsonEncodedText.Encode("allocations");
    private static readonly JsonEncodedText _resources = JsonEncodedText.Encode("resources");
    private static readonly JsonEncodedText _mappings = JsonEncodedText.Encode("mappings");

    /// <summary>Property names encoded once per answer, per uuid, class or suffix string (keyed by reference: the
    /// generator hands out the snapshot's own strings).</summary>
    private readonly Dictionary<string, JsonEncodedText> _names = new(ReferenceEqualityComparer.Instance);

    /// <summary>Per tree (its leaf object), per slot and choice, the JSON of that choice once written.</summary>
    private readonly Dictionary<CandidateLeaf, Fragment?[][]> _trees = new(ReferenceEqualityComparer.Instance);

    private readonly Utf8JsonWriter _writer;
    private readonly bool _dictForm;
    private readonly bool _withMappings;
    private readonly ArrayBufferWriter<byte> _fragmentBuffer = new();
    private readonly Utf8JsonWriter _fragmentWriter;
    private byte[] _request = new byte[1024];
    private CandidateLeaf? _lastLeaf;
    private Fragment?[][] _lastTree = [];

    /// <summary>The providers with an allocation in a built candidate (the copied ones are in the fragments).</summary>
    private readonly HashSet<string> _builtProviders = new(StringComparer.Ordinal);

    public CandidateRequestWriter(Utf8JsonWriter writer, Microversion version)
    {
        _writer = writer;
        _dictForm = version.AtLeast(12);
        _withMappings = version.AtLeast(34);
        _fragmentWriter = new Utf8JsonWriter(_fragmentBuffer, writer.Options);
    }

    public int Produced { get; private set; }

    /// <summary>Writes candidates until more than <paramref name="bytes"/> follow <paramref name="committed"/> (what
    /// the writer had committed at the last flush) or none is left (false then).
    /// Fully optimised from its first call: it runs the whole stream, and tier-0 code would run it for seconds on a
    /// loaded host before the tiered JIT catches up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool WriteUntil(IEnumerator<CandidateLeaf> leaves, long committed, int bytes)
    {
        while (_writer.BytesCommitted + _writer.BytesPending - committed <= bytes)
        {
            if (!leaves.MoveNext())
            {
                return false;
            }

            var leaf = leaves.Current;
            Produced++;
            if (_dictForm && leaf.IsSlotBySlot())
            {
                _writer.WriteRawValue(Compose(leaf), skipInputValidation: true);
            }
            else
            {
                var candidate = leaf.ToCandidate();
                _builtProviders.UnionWith(candidate.Allocations.Keys);
                WriteRequest(candidate);
            }
        }

        return true;
    }

    /// <summary>Adds the providers the written candidates allocate from, and their trees.</summary>
    public void AddUsed(PlacementSnapshot snapshot, HashSet<string> providers, HashSet<string> roots)
    {
        foreach (var uuid in _builtProviders)
        {
            providers.Add(uuid);
            roots.Add(snapshot.Providers[uuid].RootUuid);
        }

        foreach (var tree in _trees.Values)
        {
            foreach (var fragment in tree.SelectMany(slot => slot))
            {
                if (fragment is { Allocation.Length: > 0 })
                {
                    providers.Add(fragment.Provider.Uuid);
                    roots.Add(fragment.Provider.RootUuid);
                }
            }
        }
    }

    /// <summary>The candidate's JSON from its slots' fragments, as <see cref="WriteRequest"/> would write it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<byte> Compose(CandidateLeaf leaf)
    {
        if (!ReferenceEquals(leaf, _lastLeaf))
        {
            _lastLeaf = leaf;
            if (!_trees.TryGetValue(leaf, out var tree))
            {
                tree = [.. leaf.Slots.Select(s => new Fragment?[s.Choices.Count])];
                _trees[leaf] = tree;
            }

            _lastTree = tree;
        }

        var length = 0;
        Append("{\"allocations\":{"u8, ref length);
        var first = true;
        for (var i = 0; i < _lastTree.Length; i++)
        {
            var allocation = FragmentOf(leaf, i).Allocation;
            if (allocation.Length > 0)
            {
                if (!first)
                {
                    Append(","u8, ref length);
                }

                Append(allocation, ref length);
                first = false;
            }
        }

        Append("}"u8, ref length);
        if (_withMappings)
        {
            Append(",\"mappings\":{"u8, ref length);
            for (var i = 0; i < _lastTree.Length; i++)
            {
                if (i > 0)
                {
                    Append(","u8, ref length);
                }

                Append(FragmentOf(leaf, i).Mapping, ref length);
            }

            Append("}"u8, ref length);
        }

        Append("}"u8, ref length);
        return _request.AsSpan(0, length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append(ReadOnlySpan<byte> bytes, ref int length)
    {
        if (_request.Length - length < bytes.Length)
        {
            Grow(length + bytes.Length);
        }

        bytes.CopyTo(_request.AsSpan(length));
        length += bytes.Length;
    }

    private void Grow(int needed) => Array.Resize(ref _request, Math.Max(_request.Length * 2, needed));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Fragment FragmentOf(CandidateLeaf leaf, int slot)
    {
        var pick = leaf.Pick(slot);
        return _lastTree[slot][pick] ??= NewFragment(leaf.Slots[slot], pick);
    }

    private Fragment NewFragment(CandidateSlot slot, int pick)
    {
        var provider = slot.Choices[pick];
        var allocation = slot.Resources.Count == 0 ? [] : Encode(w => WriteAllocation(w, provider.Uuid, slot.Resources));
        return new Fragment(provider, allocation, Encode(w => WriteMapping(w, slot.Group.Suffix, slot.Mapped[pick])));
    }

    /// <summary>One property as the writer writes it first in an object (no separator before it).</summary>
    private byte[] Encode(Action<Utf8JsonWriter> writeProperty)
    {
        _fragmentBuffer.ResetWrittenCount();
        _fragmentWriter.Reset(_fragmentBuffer);
        _fragmentWriter.WriteStartObject();
        writeProperty(_fragmentWriter);
        _fragmentWriter.WriteEndObject();
        _fragmentWriter.Flush();
        return _fragmentBuffer.WrittenSpan[1..^1].ToArray();
    }

    /// <summary>PA-49: list form below 1.12, dict form after, <c>mappings</c> from 1.34.</summary>
    private void WriteRequest(AllocationCandidate candidate)
    {
        _writer.WriteStartObject();
        if (_dictForm)
        {
            _writer.WriteStartObject(_allocations);
            foreach (var (provider, amounts) in candidate.Allocations)
            {
                WriteAllocation(_writer, provider, amounts);
            }

            _writer.WriteEndObject();
        }
        else
        {
            _writer.WriteStartArray(_allocations);
            foreach (var (provider, amounts) in candidate.Allocations)
            {
                _writer.WriteStartObject();
                _writer.WriteStartObject("resource_provider");
                _writer.WriteString("uuid", provider);
                _writer.WriteEndObject();
                WriteResources(_writer, amounts);
                _writer.WriteEndObject();
            }

            _writer.WriteEndArray();
        }

        if (_withMappings)
        {
            _writer.WriteStartObject(_mappings);
            foreach (var (suffix, providers) in candidate.Mappings)
            {
                WriteMapping(_writer, suffix, providers);
            }

            _writer.WriteEndObject();
        }

        _writer.WriteEndObject();
    }

    private void WriteAllocation(Utf8JsonWriter to, string provider, IReadOnlyDictionary<string, long> amounts)
    {
        to.WriteStartObject(Name(provider));
        WriteResources(to, amounts);
        to.WriteEndObject();
    }

    private void WriteResources(Utf8JsonWriter to, IReadOnlyDictionary<string, long> amounts)
    {
        to.WriteStartObject(_resources);
        foreach (var (resourceClass, amount) in amounts)
        {
            to.WriteNumber(Name(resourceClass), amount);
        }

        to.WriteEndObject();
    }

    private void WriteMapping(Utf8JsonWriter to, string suffix, IReadOnlyList<string> providers)
    {
        to.WriteStartArray(Name(suffix));
        foreach (var provider in providers)
        {
            to.WriteStringValue(Name(provider));
        }

        to.WriteEndArray();
    }

    private JsonEncodedText Name(string name) =>
        _names.TryGetValue(name, out var encoded) ? encoded : _names[name] = JsonEncodedText.Encode(name);

    /// <summary>A slot choice's allocation property (empty for a resourceless group) and mapping property.</summary>
    private sealed record Fragment(ProviderState Provider, byte[] Allocation, byte[] Mapping);
}

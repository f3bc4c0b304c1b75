using System.Text.Json;
using static PciPassthrough.Testing.Scenarios.JsonComparer;

namespace PciPassthrough.Testing.Scenarios;

/// <summary>The device lists of a result: picks, tracked devices, pools and Placement providers (§8 rules 3, 4).</summary>
public sealed partial class ScenarioResultComparer
{
    /// <summary>
    /// HOST_EVAL <c>pci_devices</c>: the picks of each request, in order or — §8 rule 4 — in another order, each
    /// pick matching an expected one field for field with its address bound through the renaming.
    /// </summary>
    private static (ResultDifference? Difference, DeviceRenaming Renaming) ComparePicks(
        JsonElement expected, JsonElement actual, string path, DeviceRenaming renaming)
    {
        if (expected.ValueKind != JsonValueKind.Array || actual.ValueKind != JsonValueKind.Array
            || expected.GetArrayLength() != actual.GetArrayLength())
        {
            return (CompareArray(expected, actual, path, JsonComparer.Compare), renaming);
        }

        var wanted = expected.EnumerateArray().ToList();
        var got = actual.EnumerateArray().ToList();
        for (var i = 0; i < wanted.Count; i++)
        {
            if (RequestIndex(wanted[i]) is { } w && RequestIndex(got[i]) is { } g && !AreEqual(w, g))
            {
                return (Differ($"{path}[{i}].request_index", w, g, "a pick for another request"), renaming);
            }
        }

        for (var start = 0; start < wanted.Count;)
        {
            var end = start + 1;
            while (end < wanted.Count && RequestIndex(wanted[start]) is { } first
                && RequestIndex(wanted[end]) is { } next && AreEqual(first, next))
            {
                end++;
            }

            var (difference, inOrder) = ComparePicksInOrder(wanted, got, start, end, path, renaming);
            var matched = difference is null
                ? inOrder
                : MatchPicks(wanted.GetRange(start, end - start), got.GetRange(start, end - start), renaming);
            if (matched is null)
            {
                return (difference, renaming);
            }

            renaming = matched;
            start = end;
        }

        return (null, renaming);
    }

    private static JsonElement? RequestIndex(JsonElement pick) =>
        Property(pick, "request_index") is { ValueKind: not JsonValueKind.Undefined } index ? index : null;

    /// <summary>Picks <paramref name="start"/> to <paramref name="end"/> pairwise; names the first difference.</summary>
    private static (ResultDifference? Difference, DeviceRenaming Renaming) ComparePicksInOrder(
        List<JsonElement> wanted, List<JsonElement> got, int start, int end, string path, DeviceRenaming renaming)
    {
        for (var i = start; i < end; i++)
        {
            var difference = CompareObject(wanted[i], got[i], $"{path}[{i}]", key => key != "address" ? null
                : (e, a, p) =>
                {
                    if (BindAddress(e, a, renaming) is not { } bound)
                    {
                        return Differ(p, e, a, "not the expected device nor one interchangeable with it");
                    }

                    renaming = bound;
                    return null;
                });
            if (difference is not null)
            {
                return (difference, renaming);
            }
        }

        return (null, renaming);
    }

    /// <summary>
    /// A one-to-one matching of one request's picks in any order (backtracking; a request takes a handful of
    /// devices): the renaming with every address bound, or null when there is none.
    /// </summary>
    private static DeviceRenaming? MatchPicks(List<JsonElement> wanted, List<JsonElement> got, DeviceRenaming renaming)
    {
        var fieldsMatch = wanted.Select(w => got.Select(g =>
            CompareObject(w, g, "$", key => key == "address" ? Ignore : null) is null).ToArray()).ToArray();
        var taken = new bool[got.Count];
        return Match(0, renaming);

        DeviceRenaming? Match(int i, DeviceRenaming current)
        {
            if (i == wanted.Count)
            {
                return current;
            }

            for (var j = 0; j < got.Count; j++)
            {
                if (taken[j] || !fieldsMatch[i][j]
                    || BindAddress(Property(wanted[i], "address"), Property(got[j], "address"), current) is not { } bound)
                {
                    continue;
                }

                taken[j] = true;
                if (Match(i + 1, bound) is { } complete)
                {
                    return complete;
                }

                taken[j] = false;
            }

            return null;
        }
    }

    private static ResultDifference? Ignore(JsonElement expected, JsonElement actual, string path) => null;

    private static DeviceRenaming? BindAddress(JsonElement expected, JsonElement actual, DeviceRenaming renaming) =>
        AsString(expected) is { } wanted && AsString(actual) is { } got ? renaming.Bind(got, wanted)
        : AreEqual(expected, actual) ? renaming
        : null;

    /// <summary>Tracked devices (FINAL_STATE <c>devices</c>) matched by renamed address.</summary>
    private static ResultDifference? CompareDevices(
        JsonElement expected, JsonElement actual, string path, DeviceRenaming renaming)
    {
        if (expected.ValueKind != JsonValueKind.Array || actual.ValueKind != JsonValueKind.Array
            || expected.GetArrayLength() != actual.GetArrayLength())
        {
            return CompareArray(expected, actual, path, JsonComparer.Compare);
        }

        if (OutOfOrder(expected, actual, path, device => Field(device, "address")) is { } order)
        {
            return order;
        }

        var renamed = actual.EnumerateArray()
            .Select(device => (Address: Field(device, "address") is { } a ? renaming.Rename(a) : null, Device: device))
            .OrderBy(d => d.Address, StringComparer.Ordinal)
            .ToList();
        foreach (var (device, i) in expected.EnumerateArray().Select((device, i) => (device, i)))
        {
            var (address, match) = renamed[i];
            var difference = CompareObject(device, match, $"{path}[{i}]", key => key != "address" ? null
                : (e, a, p) => AsString(e) == address ? null : Differ(p, Show(AsString(e)), Show(address),
                    AsString(a) == address ? null : $"address renamed from {Show(AsString(a))}"));
            if (difference is not null)
            {
                return difference;
            }
        }

        return null;
    }

    /// <summary>§8 rule 3: pools matched by keys, members as a set; empty count-0 pools do not count.</summary>
    private static ResultDifference? ComparePools(
        JsonElement expected, JsonElement actual, string path, DeviceRenaming renaming)
    {
        if (expected.ValueKind != JsonValueKind.Array || actual.ValueKind != JsonValueKind.Array)
        {
            return JsonComparer.Compare(expected, actual, path);
        }

        var unmatched = Live(actual).ToList();
        foreach (var (pool, i) in Live(expected))
        {
            var keys = Property(pool, "keys");
            var match = unmatched.FindIndex(other => AreEqual(keys, Property(other.Pool, "keys")));
            if (match < 0)
            {
                return new($"{path}[{i}]", $"pool {Show(keys)} missing from the result");
            }

            var difference = CompareObject(pool, unmatched[match].Pool, $"{path}[{i}]", key => key != "devices" ? null
                : (e, a, p) => CompareAddressSets(e, a, p, renaming, "pool members differ"));
            if (difference is not null)
            {
                return difference;
            }

            unmatched.RemoveAt(match);
        }

        return unmatched is [var (extra, j), ..]
            ? new($"{path}[{j}]", $"unexpected pool {Show(Property(extra, "keys"))} in the result")
            : null;

        static IEnumerable<(JsonElement Pool, int Index)> Live(JsonElement pools) =>
            pools.EnumerateArray().Select((pool, i) => (pool, i)).Where(p => !IsEmptyCountZero(p.pool));
    }

    private static bool IsEmptyCountZero(JsonElement pool) =>
        Property(pool, "count") is { ValueKind: JsonValueKind.Number } count && count.GetDouble() == 0
        && Property(pool, "devices") is var devices
        && (devices.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
            || (devices.ValueKind == JsonValueKind.Array && devices.GetArrayLength() == 0));

    /// <summary>Lists of addresses compared as sets after renaming the actual ones.</summary>
    private static ResultDifference? CompareAddressSets(
        JsonElement expected, JsonElement actual, string path, DeviceRenaming renaming, string what)
    {
        if (expected.ValueKind != JsonValueKind.Array || actual.ValueKind != JsonValueKind.Array
            || expected.EnumerateArray().Concat(actual.EnumerateArray()).Any(a => a.ValueKind != JsonValueKind.String))
        {
            return JsonComparer.Compare(expected, actual, path);
        }

        var wanted = expected.EnumerateArray().Select(a => a.GetString()!).Order(StringComparer.Ordinal).ToList();
        var original = actual.EnumerateArray().Select(a => a.GetString()!).Order(StringComparer.Ordinal).ToList();
        var got = original.Select(renaming.Rename).Order(StringComparer.Ordinal).ToList();
        return wanted.SequenceEqual(got, StringComparer.Ordinal) ? null
            : Differ(path, Show(wanted), Show(got),
                got.SequenceEqual(original, StringComparer.Ordinal) ? what : $"{what} (renamed from {Show(original)})");
    }

    /// <summary>Placement view (§5): providers matched by name after renaming the device addresses in it.</summary>
    private static ResultDifference? ComparePlacement(
        JsonElement expected, JsonElement actual, string path, DeviceRenaming renaming, string host) =>
        CompareObject(expected, actual, path, key => key != "providers" ? null : (e, a, p) =>
        {
            if (e.ValueKind != JsonValueKind.Array || a.ValueKind != JsonValueKind.Array
                || e.GetArrayLength() != a.GetArrayLength())
            {
                return CompareArray(e, a, p, JsonComparer.Compare);
            }

            if (OutOfOrder(e, a, p, provider => Field(provider, "name")) is { } order)
            {
                return order;
            }

            var byName = a.EnumerateArray().ToLookup(
                provider => Field(provider, "name") is { } name ? renaming.RenameProvider(name, host) : null,
                StringComparer.Ordinal);
            foreach (var (provider, i) in e.EnumerateArray().Select((provider, i) => (provider, i)))
            {
                var name = Field(provider, "name");
                if (byName[name].ToList() is not [var match])
                {
                    return new($"{p}[{i}]", $"provider {Show(name)} missing from the result (or not unique)");
                }

                var difference = CompareObject(provider, match, $"{p}[{i}]", field => field == "name" ? Ignore : null);
                if (difference is not null)
                {
                    return difference;
                }
            }

            return null;
        });

    /// <summary>A list sorted by <paramref name="key"/> in the expected result must be sorted in the actual one.</summary>
    private static ResultDifference? OutOfOrder(
        JsonElement expected, JsonElement actual, string path, Func<JsonElement, string?> key) =>
        IsAscending(expected, key) && !IsAscending(actual, key)
            ? new(path, "not in ascending order, as the expected list is")
            : null;

    private static bool IsAscending(JsonElement list, Func<JsonElement, string?> key) =>
        list.EnumerateArray().Select(key).Zip(list.EnumerateArray().Skip(1).Select(key))
            .All(pair => string.CompareOrdinal(pair.First, pair.Second) <= 0);

    private static string? Field(JsonElement item, string key) => AsString(Property(item, key));
}

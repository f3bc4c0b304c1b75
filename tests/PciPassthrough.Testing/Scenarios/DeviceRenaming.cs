using System.Collections.Immutable;
using System.Text.Json;

namespace PciPassthrough.Testing.Scenarios;

/// <summary>
/// scenario-format §8 rule 4 for one host: which actual device address stands for which expected one. It starts
/// as the identity and only ever swaps two <em>interchangeable</em> devices (same vendor, product, type, NUMA
/// node, parent, matching spec, tags and pool, and parent of no tracked device); an address once used by a pick
/// is bound to its role for the rest of the scenario. Immutable, so a trial binding costs nothing to drop.
/// </summary>
internal sealed record DeviceRenaming
{
    public static readonly DeviceRenaming Identity = new(ImmutableDictionary<string, string>.Empty);

    private static readonly string[] _classFields =
        ["vendor_id", "product_id", "dev_type", "numa_node", "parent_addr", "spec_index", "tags"];

    private DeviceRenaming(ImmutableDictionary<string, string> classOf) => ClassOf = classOf;

    /// <summary>Interchangeable device address → its class; devices of one class may be swapped.</summary>
    private ImmutableDictionary<string, string> ClassOf { get; }

    private ImmutableDictionary<string, string> ToExpected { get; init; } = ImmutableDictionary<string, string>.Empty;

    private ImmutableDictionary<string, string> ToActual { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Actual addresses already used by a pick: their role is fixed.</summary>
    private ImmutableHashSet<string> Bound { get; init; } = [];

    /// <summary>The renaming of a host from its expected start-up report (HOST_REPORT).</summary>
    public static DeviceRenaming ForHost(JsonElement hostReport)
    {
        var devices = Items(hostReport, "tracked_devices").Where(d => d.ValueKind == JsonValueKind.Object).ToList();
        var poolOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pool in Items(hostReport, "pools"))
        {
            var keys = Field(pool, "keys");
            foreach (var member in Items(pool, "devices"))
            {
                if (JsonComparer.AsString(member) is { } address)
                {
                    poolOf[address] = keys;
                }
            }
        }

        var parents = devices.Select(d => Text(d, "parent_addr")).ToHashSet(StringComparer.Ordinal);
        var classOf = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            if (Text(device, "address") is { } address && !parents.Contains(address))
            {
                // Each part is JSON text, so the joined parts cannot run into each other.
                classOf[address] = "[" + string.Join(',', _classFields.Select(key => Field(device, key))
                    .Append(poolOf.GetValueOrDefault(address, "null"))) + "]";
            }
        }

        var identity = classOf.Keys.ToImmutableDictionary(a => a, a => a, StringComparer.Ordinal);
        return new(classOf.ToImmutable()) { ToExpected = identity, ToActual = identity };
    }

    /// <summary>The expected address an actual address stands for.</summary>
    public string Rename(string actual) => ToExpected.GetValueOrDefault(actual, actual);

    /// <summary>A Placement provider name <c>&lt;host&gt;_&lt;ADDRESS&gt;</c> with its address renamed.</summary>
    public string RenameProvider(string name, string host)
    {
        var prefix = host + "_";
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return name;
        }

        var address = name[prefix.Length..].ToLowerInvariant();
        var renamed = Rename(address);
        return renamed == address ? name : prefix + renamed.ToUpperInvariant();
    }

    /// <summary>
    /// Makes the actual device stand for the expected one: the renaming that does it, or null when the two are
    /// not interchangeable or either already plays another role.
    /// </summary>
    public DeviceRenaming? Bind(string actual, string expected)
    {
        if (!ClassOf.TryGetValue(actual, out var actualClass) || !ClassOf.TryGetValue(expected, out var expectedClass))
        {
            return Rename(actual) == expected ? this : null;
        }

        if (ToExpected[actual] == expected)
        {
            return this with { Bound = Bound.Add(actual) };
        }

        var displaced = ToActual[expected];
        if (actualClass != expectedClass || Bound.Contains(actual) || Bound.Contains(displaced))
        {
            return null;
        }

        // Swap roles: `actual` takes `expected`, the device that had it takes the role `actual` gave up.
        var released = ToExpected[actual];
        return this with
        {
            ToExpected = ToExpected.SetItem(actual, expected).SetItem(displaced, released),
            ToActual = ToActual.SetItem(expected, actual).SetItem(released, displaced),
            Bound = Bound.Add(actual),
        };
    }

    private static List<JsonElement> Items(JsonElement owner, string key) =>
        JsonComparer.Property(owner, key) is { ValueKind: JsonValueKind.Array } list ? [.. list.EnumerateArray()] : [];

    private static string? Text(JsonElement device, string key) => JsonComparer.AsString(JsonComparer.Property(device, key));

    private static string Field(JsonElement device, string key) =>
        JsonComparer.Property(device, key) is { ValueKind: not JsonValueKind.Undefined } value ? CanonicalJson(value) : "null";

    /// <summary>JSON text with object keys sorted, so equal tags and pool keys give equal text.</summary>
    private static string CanonicalJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(',', value.EnumerateObject()
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => JsonSerializer.Serialize(p.Name) + ":" + CanonicalJson(p.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(',', value.EnumerateArray().Select(CanonicalJson)) + "]",
        _ => value.GetRawText(),
    };
}

using System.Text.Json;
using System.Text.RegularExpressions;

namespace PciPassthrough.Server.Placement;

/// <summary>One consumer's new allocations as a <c>PUT /allocations/{c}</c> body of its microversion states them
/// (08 §9 table). <see cref="ConsumerGeneration"/> is checked only from 1.28 (<see cref="ChecksGeneration"/>).</summary>
public sealed partial record ConsumerWrite(
    string ConsumerUuid,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Allocations,
    string ProjectId,
    string UserId,
    bool ChecksGeneration,
    long? ConsumerGeneration,
    string? ConsumerType)
{
    /// <summary>The project and user of pre-1.8 writes (Placement's configured default).</summary>
    public const string DefaultId = "00000000-0000-0000-0000-000000000000";

    /// <summary>Stands for an amount above 2147483647 in <see cref="Allocations"/>: Placement's schema sets no maximum,
    /// and no inventory reaches it (max_unit ≤ 2147483647), so the write fails as violating the inventory constraints
    /// (PA-34) where Placement's does, after the checks that come first.</summary>
    public const int AboveMaximum = -1;

    public static ConsumerWrite Parse(string consumerUuid, JsonElement element, Microversion version, bool allowEmpty)
    {
        var allowed = new List<string> { "allocations" };
        var required = new List<string> { "allocations" };
        if (version.AtLeast(8))
        {
            allowed.AddRange(["project_id", "user_id"]);
            required.AddRange(["project_id", "user_id"]);
        }

        if (version.AtLeast(28))
        {
            allowed.Add("consumer_generation");
            required.Add("consumer_generation");
        }

        if (version.AtLeast(34))
        {
            allowed.Add("mappings");
        }

        if (version.AtLeast(38))
        {
            allowed.Add("consumer_type");
            required.Add("consumer_type");
        }

        // from 1.12 Placement's schema lists "additionalProperties" before "required"
        var body = version.AtLeast(12)
            ? Body.ObjectExtrasFirst(element, "allocations request", allowed, [.. required])
            : Body.Object(element, "allocations request", allowed, [.. required]);
        var allocations = version.AtLeast(12) ? DictionaryForm(body.GetProperty("allocations")) : ListForm(body.GetProperty("allocations"));
        if (allocations.Count == 0 && !(allowEmpty || version.AtLeast(28)))
        {
            throw Body.Invalid("{} does not have enough properties: allocations must name at least one resource provider",
                "minProperties");
        }

        if (body.TryGetProperty("mappings", out var mappings))
        {
            CheckMappings(mappings);
        }

        long? generation = null;
        if (version.AtLeast(28) && body.GetProperty("consumer_generation").ValueKind != JsonValueKind.Null)
        {
            generation = Body.Generation(body, "consumer_generation");
        }

        string? consumerType = null;
        if (version.AtLeast(38))
        {
            consumerType = Body.String(body, "consumer_type", 0);
            if (!ConsumerTypePattern().IsMatch(consumerType))
            {
                throw Body.Invalid($"'{consumerType}' does not match '^[A-Z0-9_]+$' ('consumer_type')", "pattern");
            }
        }

        return new ConsumerWrite(consumerUuid, allocations,
            version.AtLeast(8) ? Body.String(body, "project_id") : DefaultId,
            version.AtLeast(8) ? Body.String(body, "user_id") : DefaultId,
            version.AtLeast(28), generation, consumerType);
    }

    /// <summary>1.34+: <c>{suffix: [rp, …]}</c>, at least one group; checked for form only, then ignored (PA-33 table).</summary>
    private static void CheckMappings(JsonElement mappings)
    {
        if (mappings.ValueKind != JsonValueKind.Object)
        {
            throw Body.Invalid($"{Body.Repr(mappings)} is not of type 'object' (mappings)", "type");
        }

        if (!mappings.EnumerateObject().Any())
        {
            throw Body.Invalid("{} does not have enough properties (mappings)", "minProperties");
        }

        foreach (var group in mappings.EnumerateObject())
        {
            if (group.Value.ValueKind != JsonValueKind.Array || group.Value.EnumerateArray().Any(p => p.ValueKind != JsonValueKind.String))
            {
                throw Body.Invalid($"{Body.Repr(group.Value)} is not of type 'array' of provider UUIDs (mappings of '{group.Name}')", "type");
            }
        }
    }

    /// <summary>1.0–1.11: <c>[{resource_provider:{uuid}, resources:{RC:n}}]</c>.</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, int>> ListForm(JsonElement list)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw PlacementException.BadRequest($"JSON does not validate: allocations must be an array, got {list}");
        }

        if (list.GetArrayLength() == 0)
        {
            throw Body.Invalid("[] is too short: allocations must name at least one resource provider", "minItems");
        }

        var allocations = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        foreach (var item in list.EnumerateArray())
        {
            Body.Object(item, "allocation", ["resource_provider", "resources"], "resource_provider", "resources");
            var provider = Body.Object(item.GetProperty("resource_provider"), "resource_provider", ["uuid"], "uuid");
            allocations[Body.Uuid(provider, "uuid")] = Resources(item.GetProperty("resources"));
        }

        return allocations;
    }

    /// <summary>1.12+: <c>{rp:{resources:{RC:n}, generation?}}</c>; the generation is ignored.</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, int>> DictionaryForm(JsonElement map)
    {
        Body.Object(map, "allocations", [.. map.ValueKind == JsonValueKind.Object ? map.EnumerateObject().Select(p => p.Name) : []]);
        var allocations = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            var item = Body.Object(entry.Value, $"allocations of {entry.Name}", ["resources", "generation"], "resources");
            var uuid = Body.NormalizeUuid(entry.Name)
                ?? throw Body.Invalid($"'{entry.Name}' does not match any of the regexes: '^[0-9a-fA-F-]{{36}}$' " +
                    "(a resource provider UUID)", "additionalProperties");
            allocations[uuid] = Resources(item.GetProperty("resources"));
        }

        return allocations;
    }

    private static Dictionary<string, int> Resources(JsonElement resources)
    {
        Body.Object(resources, "resources", [.. resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(p => p.Name) : []]);
        var amounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in resources.EnumerateObject())
        {
            if (!Body.IsResourceClassName(entry.Name))
            {
                throw Body.Invalid($"'{entry.Name}' does not match any of the regexes: '^[A-Z0-9_]+$' (a resource class)",
                    "additionalProperties");
            }

            var amount = Body.Integer(resources, entry.Name, 1);
            amounts[entry.Name] = amount > int.MaxValue ? AboveMaximum : (int)amount;
        }

        if (amounts.Count == 0)
        {
            throw Body.Invalid("{} does not have enough properties: resources must name at least one resource class", "minProperties");
        }

        return amounts;
    }

    [GeneratedRegex("^[A-Z0-9_]+$")]
    private static partial Regex ConsumerTypePattern();
}

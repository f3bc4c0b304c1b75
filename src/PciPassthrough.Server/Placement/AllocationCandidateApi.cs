using System.Globalization;
using System.IO.Pipelines;
using System.Net.Mime;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using PciPassthrough.Core.PlacementApi;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary><c>GET /allocation_candidates</c> (08 §11, from 1.10): parses and validates the groups (PA-41), runs
/// <see cref="AllocationCandidateGenerator"/> and streams the answer, summaries last (only then are the used
/// trees known).</summary>
public static partial class AllocationCandidateApi
{
    public static void Map(RouteGroupBuilder placement) =>
        placement.MapGet("/allocation_candidates", GetAsync).MinVersion(10);

    private static async Task GetAsync(HttpContext http, PlacementDb db, PlacementServerOptions options, CancellationToken cancellationToken)
    {
        var version = http.Version();
        var query = await ParseAsync(http.Request.Query, version, db, cancellationToken) with
        {
            Shuffle = options.RandomizeAllocationCandidates ? new Random() : null,
        };
        var snapshot = await ProviderSnapshots.LoadAsync(db, cancellationToken);
        var requested = query.Groups.SelectMany(g => g.Resources.Keys).ToHashSet(StringComparer.Ordinal);

        var response = http.Response;
        response.ContentType = MediaTypeNames.Application.Json;
        if (version.AtLeast(15))
        {
            response.Headers.LastModified = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
            response.Headers.CacheControl = "no-cache";
        }

        // Straight into Kestrel's pipe (no intermediate stream buffer), without the writer's structural checks
        // (the shape is fixed here); names that repeat in every candidate are encoded once.
        var body = response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { SkipValidation = true });
        var names = new EncodedNames();
        var flushed = 0L;
        var usedProviders = new HashSet<string>(StringComparer.Ordinal);
        var usedRoots = new HashSet<string>(StringComparer.Ordinal);
        writer.WriteStartObject();
        writer.WriteStartArray("allocation_requests");
        foreach (var candidate in AllocationCandidateGenerator.Generate(snapshot, query))
        {
            foreach (var uuid in candidate.Allocations.Keys)
            {
                if (usedProviders.Add(uuid))
                {
                    usedRoots.Add(snapshot.Providers[uuid].RootUuid);
                }
            }

            WriteRequest(writer, candidate, version, names);
            if (writer.BytesCommitted + writer.BytesPending - flushed > FlushBytes)
            {
                flushed = await FlushAsync(writer, body, cancellationToken);
            }
        }

        writer.WriteEndArray();
        writer.WriteStartObject("provider_summaries");
        var summarised = version.AtLeast(29)
            ? snapshot.Roots.Where(r => usedRoots.Contains(r.Uuid)).SelectMany(r => snapshot.Trees[r.Uuid])
            : snapshot.Providers.Values.Where(p => usedProviders.Contains(p.Uuid)).OrderBy(p => p.Order);
        foreach (var provider in summarised)
        {
            WriteSummary(writer, provider, version, requested);
            if (writer.BytesCommitted + writer.BytesPending - flushed > FlushBytes)
            {
                flushed = await FlushAsync(writer, body, cancellationToken);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        await FlushAsync(writer, body, cancellationToken);
    }

    /// <summary>Commits the writer's bytes to the pipe and sends them; the total sent so far.</summary>
    private static async Task<long> FlushAsync(Utf8JsonWriter writer, PipeWriter body, CancellationToken cancellationToken)
    {
        writer.Flush();
        await body.FlushAsync(cancellationToken);
        return writer.BytesCommitted;
    }

    /// <summary>How much JSON is handed to Kestrel at a time: memory stays constant, and each flush (a thread hop
    /// and a socket send) is paid once per ~100 candidates.</summary>
    private const int FlushBytes = 64 * 1024;

    /// <summary>Property names as UTF-8 JSON, encoded once per answer: the fixed keys, and per uuid, class or
    /// suffix string (keyed by reference: the generator hands out the snapshot's own strings).</summary>
    private sealed class EncodedNames
    {
        public static readonly JsonEncodedText Allocations = JsonEncodedText.Encode("allocations");
        public static readonly JsonEncodedText Resources = JsonEncodedText.Encode("resources");
        public static readonly JsonEncodedText Mappings = JsonEncodedText.Encode("mappings");

        private readonly Dictionary<string, JsonEncodedText> _encoded = new(ReferenceEqualityComparer.Instance);

        public JsonEncodedText this[string name] =>
            _encoded.TryGetValue(name, out var encoded) ? encoded : _encoded[name] = JsonEncodedText.Encode(name);
    }

    /// <summary>PA-49: list form below 1.12, dict form after, <c>mappings</c> from 1.34.</summary>
    private static void WriteRequest(Utf8JsonWriter writer, AllocationCandidate candidate, Microversion version, EncodedNames names)
    {
        writer.WriteStartObject();
        if (version.AtLeast(12))
        {
            writer.WriteStartObject(EncodedNames.Allocations);
            foreach (var (provider, amounts) in candidate.Allocations)
            {
                writer.WriteStartObject(names[provider]);
                WriteResources(writer, amounts, names);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartArray(EncodedNames.Allocations);
            foreach (var (provider, amounts) in candidate.Allocations)
            {
                writer.WriteStartObject();
                writer.WriteStartObject("resource_provider");
                writer.WriteString("uuid", provider);
                writer.WriteEndObject();
                WriteResources(writer, amounts, names);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (version.AtLeast(34))
        {
            writer.WriteStartObject(EncodedNames.Mappings);
            foreach (var (suffix, providers) in candidate.Mappings)
            {
                writer.WriteStartArray(names[suffix]);
                foreach (var provider in providers)
                {
                    writer.WriteStringValue(names[provider]);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteResources(Utf8JsonWriter writer, IReadOnlyDictionary<string, long> amounts, EncodedNames names)
    {
        writer.WriteStartObject(EncodedNames.Resources);
        foreach (var (resourceClass, amount) in amounts)
        {
            writer.WriteNumber(names[resourceClass], amount);
        }

        writer.WriteEndObject();
    }

    /// <summary>PA-49: capacity and usage (every class from 1.27, else the requested ones), traits from 1.17,
    /// parent and root from 1.29.</summary>
    private static void WriteSummary(Utf8JsonWriter writer, ProviderState provider, Microversion version, HashSet<string> requested)
    {
        writer.WriteStartObject(provider.Uuid);
        writer.WriteStartObject("resources");
        foreach (var (resourceClass, inventory) in provider.Inventories.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            if (version.AtLeast(27) || requested.Contains(resourceClass))
            {
                writer.WriteStartObject(resourceClass);
                if (inventory.Capacity is > long.MinValue and < long.MaxValue)
                {
                    writer.WriteNumber("capacity", inventory.Capacity);
                }
                else
                {
                    writer.WritePropertyName("capacity");
                    writer.WriteRawValue(inventory.ExactCapacity.ToString(CultureInfo.InvariantCulture));
                }
                writer.WriteNumber("used", inventory.Used);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
        if (version.AtLeast(17))
        {
            // Placement lists a provider's traits in trait-id order: the standard ones (synced at start-up) before
            // the custom ones (created later); gabbits compare these lists in order.
            writer.WriteStartArray("traits");
            foreach (var trait in provider.Traits.OrderBy(t => !Store.StandardTraits.Contains(t)).ThenBy(t => t, StringComparer.Ordinal))
            {
                writer.WriteStringValue(trait);
            }

            writer.WriteEndArray();
        }

        if (version.AtLeast(29))
        {
            writer.WriteString("parent_provider_uuid", provider.ParentUuid);
            writer.WriteString("root_provider_uuid", provider.RootUuid);
        }

        writer.WriteEndObject();
    }

    /// <summary>PA-41 and the 08 §11 parameter table: keys per microversion, suffix grammar, orphans,
    /// <c>group_policy</c>, unknown classes and traits.</summary>
    private static async Task<CandidateQuery> ParseAsync(IQueryCollection query, Microversion version, PlacementDb db,
        CancellationToken cancellationToken)
    {
        var suffixPattern = version.AtLeast(33) ? Suffix133() : SuffixNumeric();
        var groupKeys = _groupKeys.Zip(_groupKeySince).Where(k => version.AtLeast(k.Second)).Select(k => k.First).ToList();
        var suffixes = new SortedSet<string>(StringComparer.Ordinal);
        if (!version.AtLeast(25) && !query.ContainsKey("resources"))
        {
            // the schema before granular groups requires the key, and Placement reports that before unknown keys
            throw PlacementException.BadRequest(
                "Invalid query string parameters: 'resources' is a required property\n\nFailed validating 'required' in schema");
        }

        QueryParser.CheckKeys(query, key =>
        {
            var since = key switch
            {
                "limit" => 16,
                "group_policy" => 25,
                "root_required" => 35,
                "same_subtree" => 36,
                _ => (int?)null,
            };
            if (since is { } keyed)
            {
                return version.AtLeast(keyed);
            }

            var prefix = groupKeys.FirstOrDefault(p => key.StartsWith(p, StringComparison.Ordinal));
            var suffix = prefix is null ? null : key[prefix.Length..];
            if (suffix is null || (suffix.Length > 0 && !(version.AtLeast(25) && suffixPattern.IsMatch(suffix))))
            {
                return false;
            }

            if (suffix.Length > 0)
            {
                suffixes.Add(suffix);
            }

            return true;
        }, version.AtLeast(25) ? [.. groupKeys.Select(p => $"^{p}({(version.AtLeast(33) ? "[a-zA-Z0-9_-]{1,64}" : "[1-9][0-9]*")})?$")] : null);

        // In Placement's order: the query schema, the request-wide parameters, each group's syntax, the checks across
        // groups, then (as its search meets them) unknown traits, classes and in_tree providers.
        var policy = query["group_policy"].FirstOrDefault();
        if (policy is not (null or "none" or "isolate"))
        {
            throw QueryParser.SchemaError($"'{policy}' is not one of ['none', 'isolate']", "enum", "group_policy");
        }

        int? limit = null;
        if (query.TryGetValue("limit", out var limitText))
        {
            limit = int.TryParse(limitText[0], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1
                ? parsed
                : throw QueryParser.SchemaError($"'{limitText[0]}' does not match '^[1-9][0-9]*$'", "pattern", "limit");
        }

        var rootRequired = RootRequired(query["root_required"]);
        var sameSubtrees = SameSubtrees(query["same_subtree"]);
        if (!version.AtLeast(36))
        {
            CheckOrphans(query, suffixes);
        }

        var groups = new List<RequestGroup>();
        foreach (var suffix in suffixes.Prepend("").Where(s => _groupKeys.Any(prefix => query.ContainsKey(prefix + s))))
        {
            // a repeated resources or in_tree key: Placement checks each value and keeps the last
            Dictionary<string, int> resources = [];
            foreach (var text in query["resources" + suffix])
            {
                resources = QueryParser.Resources(text ?? "");
            }

            var required = QueryParser.ParseRequired(query["required" + suffix], version);
            string? inTreeUuid = null;
            foreach (var text in query["in_tree" + suffix])
            {
                inTreeUuid = Body.NormalizeUuid(text ?? "") ?? throw PlacementException.BadRequest(
                    $"Invalid query string parameters: Expected 'in_tree' parameter to be a format of uuid. Got: {text}");
            }

            groups.Add(new RequestGroup(suffix, resources, required,
                QueryParser.MemberOf(query["member_of" + suffix], version, "member_of" + suffix), inTreeUuid));
        }

        if (version.AtLeast(36))
        {
            CheckSameSubtrees(groups, sameSubtrees, query.Keys);
        }
        else if (groups.Count == 0)
        {
            throw PlacementException.BadRequest("At least one request group (`resources` or `resources{$S}`) is required.");
        }

        var conflicts = groups.SelectMany(g => QueryParser.Conflicts(g.Required, "required" + g.Suffix)).ToList();
        if (conflicts.Count > 0)
        {
            throw QueryParser.ConflictError(conflicts);
        }

        if (groups.Count(g => !g.IsUnsuffixed) > 1 && policy is null)
        {
            throw PlacementException.BadRequest(
                "The \"group_policy\" parameter is required when specifying more than one \"resources{N}\" parameter.");
        }

        await RequireTraitsAsync(db, rootRequired.Names, cancellationToken);
        for (var i = 0; i < groups.Count; i++)
        {
            foreach (var resourceClass in groups[i].Resources.Keys)
            {
                await db.RequireRequestedClassAsync(resourceClass, cancellationToken);
            }

            await RequireTraitsAsync(db, groups[i].Required.Names, cancellationToken);
            if (groups[i].InTreeRoot is { } uuid)
            {
                // an unknown provider is no error: the group matches nothing
                groups[i] = groups[i] with
                {
                    InTreeRoot = await db.Providers.Where(p => p.Uuid == uuid).Select(p => p.RootUuid).FirstOrDefaultAsync(cancellationToken) ?? "",
                };
            }
        }

        return new CandidateQuery(groups, policy == "isolate", limit, version.AtLeast(29))
        {
            RootRequired = rootRequired,
            SameSubtrees = sameSubtrees,
        };
    }

    private static async Task RequireTraitsAsync(PlacementDb db, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var unknown = await db.UnknownTraitsAsync(names, cancellationToken);
        if (unknown.Count > 0)
        {
            throw PlacementException.BadRequest($"No such trait(s): {string.Join(", ", unknown)}.");
        }
    }

    private static readonly string[] _groupKeys = ["resources", "required", "member_of", "in_tree"];

    /// <summary>The microversion each of <see cref="_groupKeys"/> arrived in (08 §11 table).</summary>
    private static readonly int[] _groupKeySince = [10, 17, 21, 31];

    /// <summary>PA-41 below 1.36: every group needs resources; Placement names the orphaned trait keys first, then
    /// the member_of ones.</summary>
    private static void CheckOrphans(IQueryCollection query, SortedSet<string> suffixes)
    {
        var resourceless = suffixes.Prepend("").Where(s => !query.ContainsKey("resources" + s)).ToList();
        var orphanedTraits = resourceless.Where(s => query.ContainsKey("required" + s)).Select(s => "required" + s).ToList();
        if (orphanedTraits.Count > 0)
        {
            throw PlacementException.BadRequest("All traits parameters must be associated with resources.  " +
                $"Found the following orphaned traits keys: {string.Join(", ", orphanedTraits)}");
        }

        var orphanedAggregates = resourceless.Where(s => query.ContainsKey("member_of" + s)).Select(s => "member_of" + s).ToList();
        if (orphanedAggregates.Count > 0)
        {
            throw PlacementException.BadRequest("All member_of parameters must be associated with resources. " +
                $"Found the following orphaned member_of keys: {string.Join(", ", orphanedAggregates)}");
        }

        if (resourceless.Any(s => query.ContainsKey("in_tree" + s)))
        {
            throw PlacementException.BadRequest("All request groups must specify resources.");
        }
    }

    /// <summary><c>same_subtree=_A,_B</c> (1.36): each value one set of suffixes, never the unsuffixed group.</summary>
    private static List<IReadOnlySet<string>> SameSubtrees(StringValues values)
    {
        var sets = new List<IReadOnlySet<string>>();
        foreach (var value in values)
        {
            var set = (value ?? "").Split(',').Select(s => s.Trim()).ToHashSet(StringComparer.Ordinal);
            if (set.Contains(""))
            {
                throw PlacementException.BadRequest("Empty string (unsuffixed group) can not be specified in `same_subtree` ",
                    ErrorCodes.BadValue);
            }

            sets.Add(set);
        }

        return sets;
    }

    /// <summary>PA-41 from 1.36: some group has resources (<c>missing_value</c>), every resourceless group is in a
    /// <c>same_subtree</c> set and every suffix there names a group (<c>bad_value</c>). Groups are listed in the order
    /// the query first mentions them, as Placement lists them.</summary>
    private static void CheckSameSubtrees(List<RequestGroup> groups, List<IReadOnlySet<string>> sameSubtrees, ICollection<string> keys)
    {
        var mentioned = keys.Select(key => _groupKeys.FirstOrDefault(p => key.StartsWith(p, StringComparison.Ordinal)) is { } prefix
            ? key[prefix.Length..] : null).OfType<string>().Distinct().ToList();
        groups = [.. groups.OrderBy(g => mentioned.IndexOf(g.Suffix))];
        if (groups.All(g => g.Resources.Count == 0))
        {
            throw PlacementException.BadRequest("There must be at least one resources or resources[$S] parameter.",
                ErrorCodes.MissingValue);
        }

        var inSubtrees = sameSubtrees.SelectMany(set => set).ToHashSet(StringComparer.Ordinal);
        var loose = groups.Where(g => g.Resources.Count == 0 && !inSubtrees.Contains(g.Suffix)).Select(g => g.Suffix).ToList();
        if (loose.Count > 0)
        {
            throw PlacementException.BadRequest("Resourceless suffixed group request should be specified in `same_subtree` " +
                $"query param: bad group(s) - {PythonList(loose)}.", ErrorCodes.BadValue);
        }

        var unknown = inSubtrees.Where(s => !groups.Any(g => g.Suffix == s)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw PlacementException.BadRequest($"Real suffixes should be specified in `same_subtree`: {PythonList(unknown)} " +
                $"not found in {PythonList(groups.Select(g => g.Suffix))}.", ErrorCodes.BadValue);
        }
    }

    /// <summary>Placement prints suffix lists as Python does; clients may match on it.</summary>
    private static string PythonList(IEnumerable<string> items) => $"[{string.Join(", ", items.Select(i => $"'{i}'"))}]";

    /// <summary><c>root_required=T,!F</c>: given once (else <c>duplicate_key</c>). Placement parses it in the 1.38
    /// form at every version: an <c>in:</c> prefix is refused as before 1.39.</summary>
    private static TraitFilter RootRequired(StringValues values) => values.Count > 1
        ? throw PlacementException.BadRequest("Query parameter 'root_required' may be specified only once.", ErrorCodes.DuplicateKey)
        : QueryParser.Required(values, new Microversion(1, 38), "root_required");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Suffix133();

    [GeneratedRegex("^[1-9][0-9]*$")]
    private static partial Regex SuffixNumeric();
}

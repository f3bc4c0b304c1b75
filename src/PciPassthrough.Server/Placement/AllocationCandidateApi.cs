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
        var (query, mentioned) = Parse(http.Request.Query, version);
        var snapshot = await ProviderSnapshots.LoadAsync(db, cancellationToken);
        mentioned = [.. mentioned.Select(g => g.InTreeRoot is { } uuid
            ? g with { InTreeRoot = snapshot.Providers.GetValueOrDefault(uuid)?.RootUuid ?? "" }
            : g)];
        query = query with
        {
            Groups = [.. mentioned.OrderBy(g => g.Suffix, StringComparer.Ordinal)],
            Shuffle = options.RandomizeAllocationCandidates ? new Random() : null,
        };
        var searched = await SearchReachesAllNamesAsync(db, snapshot, query, mentioned, cancellationToken);
        var requested = query.Groups.SelectMany(g => g.Resources.Keys).ToHashSet(StringComparer.Ordinal);

        var response = http.Response;
        response.ContentType = MediaTypeNames.Application.Json;
        if (version.AtLeast(15))
        {
            response.Headers.LastModified = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
            response.Headers.CacheControl = "no-cache";
        }

        // Straight into Kestrel's pipe (no intermediate stream buffer), without the writer's structural checks
        // (the shape is fixed here)
        var body = response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { SkipValidation = true });
        var requests = new CandidateRequestWriter(writer, version);
        var flushed = 0L;
        writer.WriteStartObject();
        writer.WriteStartArray("allocation_requests");
        using (var leaves = (searched ? AllocationCandidateGenerator.Leaves(snapshot, query) : []).GetEnumerator())
        {
            while (requests.WriteUntil(leaves, flushed, FlushBytes))
            {
                flushed = await FlushAsync(writer, body, cancellationToken);
            }
        }

        var usedProviders = new HashSet<string>(StringComparer.Ordinal);
        var usedRoots = new HashSet<string>(StringComparer.Ordinal);
        requests.AddUsed(snapshot, usedProviders, usedRoots);
        writer.WriteEndArray();
        writer.WriteStartObject("provider_summaries");
        if (!version.AtLeast(29) && query.Limit == requests.Produced)
        {
            // PA-48: Placement cuts the summaries of all its candidates to the trees the kept ones use, so below 1.29
            // they name every provider of those trees some candidate uses, kept or not
            usedProviders.UnionWith(AllocationCandidateGenerator.ProvidersUsedIn(snapshot, query, usedRoots));
        }

        List<ProviderState> summarised = version.AtLeast(29)
            ? [.. snapshot.Roots.Where(r => usedRoots.Contains(r.Uuid)).SelectMany(r => snapshot.Trees[r.Uuid])]
            : [.. snapshot.Providers.Values.Where(p => usedProviders.Contains(p.Uuid)).OrderBy(p => p.Order)];
        var customTraitOrder = version.AtLeast(17) && summarised.Any(p => p.Traits.Any(t => !Store.StandardTraits.Contains(t)))
            ? await db.CustomTraits.AsNoTracking().ToDictionaryAsync(t => t.Name, t => t.CreationOrder, StringComparer.Ordinal, cancellationToken)
            : null;
        foreach (var provider in summarised)
        {
            WriteSummary(writer, provider, version, requested, customTraitOrder);
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

    /// <summary>PA-49: capacity and usage (every class from 1.27, else the requested ones), traits from 1.17,
    /// parent and root from 1.29.</summary>
    private static void WriteSummary(Utf8JsonWriter writer, ProviderState provider, Microversion version, HashSet<string> requested,
        Dictionary<string, long>? customTraitOrder)
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
            // Placement lists a provider's traits in trait-id order: the standard ones (synced at start-up, in no
            // set order) before the custom ones, in the order they were created; gabbits compare these lists in order.
            writer.WriteStartArray("traits");
            foreach (var trait in provider.Traits.OrderBy(t => customTraitOrder?.GetValueOrDefault(t, -1) ?? -1).ThenBy(t => t, StringComparer.Ordinal))
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
    /// <c>group_policy</c>. The groups come back in the order the query first mentions them, as Placement lists and
    /// searches them; <c>in_tree</c> still holds the named provider (resolved against the snapshot).</summary>
    private static (CandidateQuery Query, List<RequestGroup> Mentioned) Parse(IQueryCollection query, Microversion version)
    {
        var suffixPattern = version.AtLeast(33) ? Suffix133() : SuffixNumeric();
        var groupKeys = _groupKeys.Zip(_groupKeySince).Where(k => version.AtLeast(k.Second)).Select(k => k.First).ToList();
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

            var suffix = GroupKey(key, groupKeys).Suffix;
            return suffix is not null && (suffix.Length == 0 || (version.AtLeast(25) && suffixPattern.IsMatch(suffix)));
        }, version.AtLeast(25) ? [.. groupKeys.Select(p => $"^{p}({(version.AtLeast(33) ? "[a-zA-Z0-9_-]{1,64}" : "[1-9][0-9]*")})?$")] : null);

        // In Placement's order: the query schema, the request-wide parameters, each group key as the query gives them,
        // the checks across groups; unknown traits, classes and in_tree providers as its search meets them.
        // A repeated key: Placement's schema sees the last value, the search the first one (only "isolate" isolates);
        // an invalid first limit is a 500 in Placement, refused here as the last one would be.
        var policy = query["group_policy"].FirstOrDefault();
        if (query["group_policy"].LastOrDefault() is { } checkedPolicy and not ("none" or "isolate"))
        {
            throw QueryParser.SchemaError($"'{checkedPolicy}' is not one of ['none', 'isolate']", "enum", "group_policy");
        }

        int? limit = null;
        foreach (var text in query["limit"].Reverse())
        {
            limit = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1
                ? parsed
                : throw QueryParser.SchemaError($"'{text}' does not match '^[1-9][0-9]*$'", "pattern", "limit");
        }

        var rootRequired = RootRequired(query["root_required"]);
        var sameSubtrees = SameSubtrees(query["same_subtree"]);
        var groups = new OrderedDictionary<string, RequestGroup>(StringComparer.Ordinal);
        foreach (var (key, values) in query)
        {
            var (prefix, suffix) = GroupKey(key, groupKeys);
            if (suffix is null)
            {
                continue;
            }

            var group = groups.GetValueOrDefault(suffix) ?? new RequestGroup(suffix, new Dictionary<string, int>(), TraitFilter.None,
                AggregateFilter.None, null);
            groups[suffix] = prefix switch
            {
                // a repeated resources or in_tree key: Placement checks each value (a list: Last() would skip the
                // others) and keeps the last
                "resources" => group with { Resources = values.Select(text => QueryParser.Resources(text ?? "")).ToList()[^1] },
                "required" => group with { Required = QueryParser.ParseRequired(values, version) },
                "member_of" => group with { MemberOf = QueryParser.MemberOf(values, version, key) },
                _ => group with
                {
                    InTreeRoot = values.Select(text => Body.NormalizeUuid(text ?? "") ?? throw PlacementException.BadRequest(
                        $"Invalid query string parameters: Expected 'in_tree' parameter to be a format of uuid. Got: {text}")).ToList()[^1],
                },
            };
        }

        var mentioned = groups.Values.ToList();
        if (version.AtLeast(36))
        {
            CheckSameSubtrees(mentioned, sameSubtrees);
        }
        else
        {
            CheckOrphans(mentioned);
            if (mentioned.Count == 0)
            {
                throw PlacementException.BadRequest("At least one request group (`resources` or `resources{$S}`) is required.");
            }
        }

        var conflicts = mentioned.SelectMany(g => QueryParser.Conflicts(g.Required, "required" + g.Suffix)).ToList();
        if (conflicts.Count > 0)
        {
            throw QueryParser.ConflictError(conflicts);
        }

        if (mentioned.Count(g => !g.IsUnsuffixed) > 1 && policy is null)
        {
            throw PlacementException.BadRequest(
                "The \"group_policy\" parameter is required when specifying more than one \"resources{N}\" parameter.");
        }

        return (new CandidateQuery(mentioned, policy == "isolate", limit, version.AtLeast(29))
        {
            RootRequired = rootRequired,
            SameSubtrees = sameSubtrees,
        }, mentioned);
    }

    /// <summary>The group key's prefix and suffix ("" unsuffixed), or a null suffix for a key that is no group key.</summary>
    private static (string? Prefix, string? Suffix) GroupKey(string key, List<string> groupKeys)
    {
        var prefix = groupKeys.FirstOrDefault(p => key.StartsWith(p, StringComparison.Ordinal));
        return (prefix, prefix is null ? null : key[prefix.Length..]);
    }

    /// <summary>Placement meets unknown names as its search goes: root_required's traits, then per group (in
    /// <paramref name="mentioned"/> order) its classes and its traits. The search ends with no candidates, before
    /// any further name is looked at, when no root has the root_required traits, when no provider is in a group's
    /// <c>member_of</c> aggregates (checked before the group's traits) or when a group alone has no candidate (PA-47
    /// comes later, on the combined ones). So an
    /// unknown name is a 400 only if the search gets that far; false when it ends first.</summary>
    private static async Task<bool> SearchReachesAllNamesAsync(PlacementDb db, PlacementSnapshot snapshot, CandidateQuery query,
        List<RequestGroup> mentioned, CancellationToken cancellationToken)
    {
        var lookups = new List<Func<Task<PlacementException?>>> { () => UnknownTraitAsync(db, query.RootRequired.Names, cancellationToken) };
        var ends = new List<Func<bool>> { () => !query.RootRequired.IsEmpty && !snapshot.Roots.Any(r => query.RootRequired.Matches(r.Traits)) };
        foreach (var group in mentioned)
        {
            lookups.Add(() => UnknownClassAsync(db, group.Resources.Keys, cancellationToken));
            ends.Add(() => group.MemberOf.AnyOf.Count > 0
                && !snapshot.Providers.Values.Any(p => group.MemberOf.AnyOf.All(set => set.Overlaps(p.Aggregates))));
            lookups.Add(() => UnknownTraitAsync(db, group.Required.Names, cancellationToken));
            ends.Add(() => !AllocationCandidateGenerator.Generate(snapshot,
                query with { Groups = [group], Isolate = false, Limit = 1, SameSubtrees = [], Shuffle = null, NestedAware = true }).Any());
        }

        for (var step = 0; step < lookups.Count; step++)
        {
            // the end checks run only when an unknown name is met: a search without one answers the same either way
            if (await lookups[step]() is { } unknown)
            {
                return ends.Take(step).Any(end => end()) ? false : throw unknown;
            }
        }

        return true;
    }

    /// <summary>Placement names the first unknown trait it looks up (query order; any-of sets and forbidden ones
    /// after the required ones).</summary>
    private static async Task<PlacementException?> UnknownTraitAsync(PlacementDb db, IEnumerable<string> names,
        CancellationToken cancellationToken)
    {
        var unknown = await db.UnknownTraitsAsync(names, cancellationToken);
        return unknown.Count == 0 ? null : PlacementException.BadRequest($"No such trait(s): {names.First(unknown.Contains)}.");
    }

    private static async Task<PlacementException?> UnknownClassAsync(PlacementDb db, IEnumerable<string> classes,
        CancellationToken cancellationToken)
    {
        foreach (var resourceClass in classes)
        {
            if (!await db.ResourceClassExistsAsync(resourceClass, cancellationToken))
            {
                return PlacementException.BadRequest($"Invalid resource class in resources parameter: No such resource class {resourceClass}.");
            }
        }

        return null;
    }

    private static readonly string[] _groupKeys = ["resources", "required", "member_of", "in_tree"];

    /// <summary>The microversion each of <see cref="_groupKeys"/> arrived in (08 §11 table).</summary>
    private static readonly int[] _groupKeySince = [10, 17, 21, 31];

    /// <summary>PA-41 below 1.36: every group needs resources. Placement names the groups with required (not only
    /// forbidden) traits first, then those with member_of, else refuses any resourceless group.</summary>
    private static void CheckOrphans(List<RequestGroup> groups)
    {
        var resourceless = groups.Where(g => g.Resources.Count == 0).ToList();
        var orphanedTraits = resourceless.Where(g => g.Required.AnyOf.Count > 0).Select(g => "required" + g.Suffix).ToList();
        if (orphanedTraits.Count > 0)
        {
            throw PlacementException.BadRequest("All traits parameters must be associated with resources.  " +
                $"Found the following orphaned traits keys: {string.Join(", ", orphanedTraits)}");
        }

        var orphanedAggregates = resourceless.Where(g => !g.MemberOf.IsEmpty).Select(g => "member_of" + g.Suffix).ToList();
        if (orphanedAggregates.Count > 0)
        {
            throw PlacementException.BadRequest("All member_of parameters must be associated with resources. " +
                $"Found the following orphaned member_of keys: {string.Join(", ", orphanedAggregates)}");
        }

        if (resourceless.Count > 0)
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
    /// <c>same_subtree</c> set and every suffix there names a group (<c>bad_value</c>). <paramref name="groups"/> are
    /// in the order the query first mentions them, as Placement lists them.</summary>
    private static void CheckSameSubtrees(List<RequestGroup> groups, List<IReadOnlySet<string>> sameSubtrees)
    {
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

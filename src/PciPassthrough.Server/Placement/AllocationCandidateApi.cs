using System.Globalization;
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

    private static async Task GetAsync(HttpContext http, PlacementDb db, CancellationToken cancellationToken)
    {
        var version = http.Version();
        var query = await ParseAsync(http.Request.Query, version, db, cancellationToken);
        var snapshot = await ProviderSnapshots.LoadAsync(db, cancellationToken);
        var requested = query.Groups.SelectMany(g => g.Resources.Keys).ToHashSet(StringComparer.Ordinal);

        var response = http.Response;
        response.ContentType = MediaTypeNames.Application.Json;
        if (version.AtLeast(15))
        {
            response.Headers.LastModified = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
            response.Headers.CacheControl = "no-cache";
        }

        await using var writer = new Utf8JsonWriter(response.Body);
        var usedProviders = new HashSet<string>(StringComparer.Ordinal);
        var usedRoots = new HashSet<string>(StringComparer.Ordinal);
        writer.WriteStartObject();
        writer.WriteStartArray("allocation_requests");
        foreach (var candidate in AllocationCandidateGenerator.Generate(snapshot, query))
        {
            usedRoots.UnionWith(candidate.Allocations.Keys.Select(uuid => snapshot.Providers[uuid].RootUuid));
            usedProviders.UnionWith(candidate.Allocations.Keys);
            WriteRequest(writer, candidate, version);
            if (writer.BytesPending > 32 * 1024)
            {
                await writer.FlushAsync(cancellationToken);
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
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>PA-49: list form below 1.12, dict form after, <c>mappings</c> from 1.34.</summary>
    private static void WriteRequest(Utf8JsonWriter writer, AllocationCandidate candidate, Microversion version)
    {
        writer.WriteStartObject();
        if (version.AtLeast(12))
        {
            writer.WriteStartObject("allocations");
            foreach (var (provider, amounts) in candidate.Allocations)
            {
                writer.WriteStartObject(provider);
                WriteResources(writer, amounts);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartArray("allocations");
            foreach (var (provider, amounts) in candidate.Allocations)
            {
                writer.WriteStartObject();
                writer.WriteStartObject("resource_provider");
                writer.WriteString("uuid", provider);
                writer.WriteEndObject();
                WriteResources(writer, amounts);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (version.AtLeast(34))
        {
            writer.WriteStartObject("mappings");
            foreach (var (suffix, providers) in candidate.Mappings)
            {
                writer.WriteStartArray(suffix);
                foreach (var provider in providers)
                {
                    writer.WriteStringValue(provider);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteResources(Utf8JsonWriter writer, IReadOnlyDictionary<string, long> amounts)
    {
        writer.WriteStartObject("resources");
        foreach (var (resourceClass, amount) in amounts)
        {
            writer.WriteNumber(resourceClass, amount);
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
                writer.WriteNumber("capacity", inventory.Capacity);
                writer.WriteNumber("used", inventory.Used);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
        if (version.AtLeast(17))
        {
            writer.WriteStartArray("traits");
            foreach (var trait in provider.Traits.Order(StringComparer.Ordinal))
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
        var suffixes = new SortedSet<string>(StringComparer.Ordinal);
        QueryParser.CheckKeys(query, key =>
        {
            if (key is "limit")
            {
                return version.AtLeast(16);
            }

            if (key is "group_policy")
            {
                return version.AtLeast(25);
            }

            if (key is "root_required")
            {
                return version.AtLeast(35);
            }

            foreach (var (prefix, since) in new[] { ("resources", 10), ("required", 17), ("member_of", 21), ("in_tree", 31) })
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal) && version.AtLeast(since))
                {
                    var suffix = key[prefix.Length..];
                    if (suffix.Length == 0)
                    {
                        return true;
                    }

                    if (version.AtLeast(25) && suffixPattern.IsMatch(suffix))
                    {
                        suffixes.Add(suffix);
                        return true;
                    }
                }
            }

            return false;
        });

        var groups = new List<RequestGroup>();
        foreach (var suffix in suffixes.Prepend(""))
        {
            if (!query.TryGetValue("resources" + suffix, out var resourcesText))
            {
                if (query.ContainsKey("required" + suffix) || query.ContainsKey("member_of" + suffix) || query.ContainsKey("in_tree" + suffix))
                {
                    throw PlacementException.BadRequest(
                        $"All traits parameters, member_of and in_tree must be associated with resources. Found the following orphaned parameters: suffix '{suffix}'");
                }

                continue;
            }

            var resources = QueryParser.Resources(resourcesText.ToString(), "resources" + suffix);
            foreach (var resourceClass in resources.Keys)
            {
                await db.RequireResourceClassAsync(resourceClass, cancellationToken);
            }

            var required = QueryParser.Required(query["required" + suffix], version, "required" + suffix);
            var unknown = await db.UnknownTraitsAsync(required.Names, cancellationToken);
            if (unknown.Count > 0)
            {
                throw PlacementException.BadRequest($"No such trait(s): {string.Join(", ", unknown)}");
            }

            string? inTreeRoot = null;
            if (query.TryGetValue("in_tree" + suffix, out var inTree))
            {
                var uuid = Body.NormalizeUuid(inTree.ToString()) ?? throw PlacementException.BadRequest(
                    $"Invalid query string parameters: Expected 'in_tree{suffix}' parameter to be a UUID. Got: {inTree}");
                inTreeRoot = await db.Providers.Where(p => p.Uuid == uuid).Select(p => p.RootUuid).FirstOrDefaultAsync(cancellationToken)
                    ?? "";
            }

            groups.Add(new RequestGroup(suffix, resources, required,
                QueryParser.MemberOf(query["member_of" + suffix], version, "member_of" + suffix), inTreeRoot));
        }

        if (groups.Count == 0)
        {
            throw PlacementException.BadRequest("At least one \"resources\" or \"resources{N}\" parameter is required.");
        }

        var policy = query["group_policy"].FirstOrDefault();
        if (policy is not (null or "none" or "isolate"))
        {
            throw PlacementException.BadRequest($"Invalid query string parameters: group_policy must be 'none' or 'isolate', got '{policy}'");
        }

        if (groups.Count(g => !g.IsUnsuffixed) > 1 && policy is null)
        {
            throw PlacementException.BadRequest(
                "The \"group_policy\" parameter is required when specifying more than one \"resources{N}\" parameter.");
        }

        int? limit = null;
        if (query.TryGetValue("limit", out var limitText))
        {
            limit = int.TryParse(limitText[0], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1
                ? parsed
                : throw PlacementException.BadRequest($"Invalid query string parameters: limit must be a positive integer, got '{limitText[0]}'");
        }

        return new CandidateQuery(groups, policy == "isolate", limit, version.AtLeast(29))
        {
            RootRequired = await RootRequiredAsync(query["root_required"], version, db, cancellationToken),
        };
    }

    /// <summary><c>root_required=T,!F</c>: given once (else <c>duplicate_key</c>), no <c>in:</c>.</summary>
    private static async Task<TraitFilter> RootRequiredAsync(StringValues values, Microversion version,
        PlacementDb db, CancellationToken cancellationToken)
    {
        if (values.Count > 1)
        {
            throw PlacementException.BadRequest("Query parameter 'root_required' may be specified only once.", ErrorCodes.DuplicateKey);
        }

        if (values.Count == 1 && values[0]!.StartsWith("in:", StringComparison.Ordinal))
        {
            throw PlacementException.BadRequest($"Invalid query string parameters: root_required does not take 'in:', got '{values[0]}'",
                ErrorCodes.BadValue);
        }

        var filter = QueryParser.Required(values, version, "root_required");
        var unknown = await db.UnknownTraitsAsync(filter.Names, cancellationToken);
        return unknown.Count == 0 ? filter : throw PlacementException.BadRequest($"No such trait(s): {string.Join(", ", unknown)}");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Suffix133();

    [GeneratedRegex("^[1-9][0-9]*$")]
    private static partial Regex SuffixNumeric();
}

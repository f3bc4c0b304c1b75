using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Placement;
using PciPassthrough.Core.Pools;

namespace PciPassthrough.Host.Placement;

/// <summary>
/// Nova's side of PCI in Placement (06 PM-16…PM-22) over the Placement HTTP API, run at start-up and at every
/// periodic update: read what Placement holds under the compute node's provider, let Core decide
/// (<see cref="PciPlacementPlan"/>), write the decision. A generation conflict means another writer moved a
/// provider or consumer between our read and our write; the whole round then starts again from a fresh read
/// (at most <see cref="MaxRounds"/> times), as Nova refreshes its provider tree and retries.
/// </summary>
/// <param name="http">A client whose base address is the Placement endpoint (ending in <c>/</c>) and which sends
/// the token header.</param>
public sealed class PlacementReporter(HttpClient http)
{
    public const int MaxRounds = 4;

    /// <summary>The microversion of every call: consumer types are part of allocation writes from 1.38.</summary>
    public const string Microversion = "placement 1.38";

    private const string ConcurrentUpdate = "placement.concurrent_update";

    /// <summary>Reports <paramref name="view"/> under the compute node provider <paramref name="computeName"/> (created
    /// when missing), then gives each pool its provider (PM-18 step 3).</summary>
    /// <param name="computeName">The hypervisor hostname: the name of the compute node provider.</param>
    /// <param name="view">The compute's PCI providers.</param>
    /// <param name="pools">The compute's pools, which learn their providers once written.</param>
    /// <param name="sameHostResizeInstances">Instances in a same-host resize, never healed (PM-21).</param>
    /// <param name="hypervisor">What the compute's libvirt can run: its vIOMMU traits go on the compute node provider
    /// (07 LV-18); null leaves the compute node's traits alone.</param>
    /// <param name="cancellationToken">Stops the round.</param>
    /// <exception cref="PlacementReportException">Placement refused a write (e.g. <c>placement.inventory.inuse</c>,
    /// PM-20) or the conflicts did not stop within <see cref="MaxRounds"/> rounds.</exception>
    public async Task<PlacementReport> ReportAsync(
        string computeName, PciPlacementView view, DevicePools pools, IReadOnlyCollection<string> sameHostResizeInstances,
        HypervisorCapabilities? hypervisor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(pools);
        for (var round = 1; ; round++)
        {
            try
            {
                var tree = await ReadTreeAsync(computeName, cancellationToken);
                var plan = PciPlacementPlan.Create(view, tree.State, () => Guid.NewGuid().ToString(), sameHostResizeInstances);
                await WriteAsync(tree, plan, cancellationToken);
                if (hypervisor is not null)
                {
                    await WriteRootTraitsAsync(tree.RootUuid, hypervisor, cancellationToken);
                }

                plan.RecordProviders(pools);
                return new PlacementReport(tree.RootUuid, round, plan);
            }
            catch (PlacementReportException e) when (e.Code == ConcurrentUpdate && round < MaxRounds)
            {
                // another writer won this round: read again
            }
        }
    }

    private sealed record Provider(string Uuid, string Name, int Generation);

    private sealed record Tree(string RootUuid, Dictionary<string, Provider> Providers, PlacementState State,
        IReadOnlyDictionary<string, int> CurrentReserved);

    private async Task<Tree> ReadTreeAsync(string computeName, CancellationToken cancellationToken)
    {
        var found = await SendAsync(HttpMethod.Get, $"resource_providers?name={Uri.EscapeDataString(computeName)}", null, cancellationToken);
        var root = found["resource_providers"].Items().FirstOrDefault() is { IsNull: false } existing
            ? existing
            : await SendAsync(HttpMethod.Post, "resource_providers", new JsonObject { ["name"] = computeName }, cancellationToken);
        var rootUuid = root["uuid"].Text();
        var listed = await SendAsync(HttpMethod.Get, $"resource_providers?in_tree={rootUuid}", null, cancellationToken);
        var providers = new Dictionary<string, Provider>(StringComparer.Ordinal);
        foreach (var p in listed["resource_providers"].Items())
        {
            var provider = new Provider(p["uuid"].Text(), p["name"].Text(), p["generation"].Integer());
            providers[provider.Uuid] = provider;
        }

        var children = new List<PlacementProviderState>();
        var reservedByName = new Dictionary<string, int>(StringComparer.Ordinal);
        var allocations = new Dictionary<string, Dictionary<string, IReadOnlyDictionary<string, int>>>(StringComparer.Ordinal);
        foreach (var provider in providers.Values)
        {
            var held = await SendAsync(HttpMethod.Get, $"resource_providers/{provider.Uuid}/allocations", null, cancellationToken);
            foreach (var (consumer, entry) in held["allocations"].Members())
            {
                allocations.TryAdd(consumer, new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal));
                allocations[consumer][provider.Uuid] = Amounts(entry["resources"]);
            }

            if (provider.Uuid == rootUuid)
            {
                continue;
            }

            var inventories = await SendAsync(HttpMethod.Get, $"resource_providers/{provider.Uuid}/inventories", null, cancellationToken);
            foreach (var (resourceClass, inventory) in inventories["inventories"].Members())
            {
                reservedByName[$"{provider.Uuid}/{resourceClass}"] = inventory["reserved"].Integer();
            }

            var traits = (await SendAsync(HttpMethod.Get, $"resource_providers/{provider.Uuid}/traits", null, cancellationToken))
                ["traits"].Items().Select(t => t.Text()).ToHashSet(StringComparer.Ordinal);
            children.Add(new PlacementProviderState(provider.Name, provider.Uuid, traits));
        }

        var state = new PlacementState(children, allocations.ToDictionary(
            c => c.Key, c => (IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>)c.Value, StringComparer.Ordinal));
        return new Tree(rootUuid, providers, state, reservedByName);
    }

    /// <summary>PM-18 in order: deletions, creations, the classes and traits that must exist, provider traits, then
    /// inventories and the healed allocations in one reshape when healing changed anything (so they land together),
    /// else plain inventory writes. Each write carries the generation the previous one returned.</summary>
    private async Task WriteAsync(Tree tree, PciPlacementPlan plan, CancellationToken cancellationToken)
    {
        var byName = tree.Providers.Values.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var name in plan.DeletedProviders)
        {
            await SendAsync(HttpMethod.Delete, $"resource_providers/{byName[name].Uuid}", null, cancellationToken);
        }

        var generations = tree.Providers.Values.ToDictionary(p => p.Uuid, p => p.Generation, StringComparer.Ordinal);
        foreach (var provider in plan.Providers)
        {
            if (provider.IsNew)
            {
                var created = await SendAsync(HttpMethod.Post, "resource_providers", new JsonObject
                {
                    ["name"] = provider.Name,
                    ["uuid"] = provider.Uuid,
                    ["parent_provider_uuid"] = tree.RootUuid,
                }, cancellationToken);
                generations[provider.Uuid] = created["generation"].Integer();
            }

            if (provider.ResourceClass.StartsWith(PlacementNames.CustomPrefix, StringComparison.Ordinal))
            {
                await SendAsync(HttpMethod.Put, $"resource_classes/{provider.ResourceClass}", null, cancellationToken);
            }

            foreach (var trait in provider.Traits.Where(t => t.StartsWith(PlacementNames.CustomPrefix, StringComparison.Ordinal)))
            {
                await SendAsync(HttpMethod.Put, $"traits/{trait}", null, cancellationToken);
            }
        }

        foreach (var provider in plan.Providers)
        {
            var written = await SendAsync(HttpMethod.Put, $"resource_providers/{provider.Uuid}/traits", new JsonObject
            {
                ["resource_provider_generation"] = generations[provider.Uuid],
                ["traits"] = new JsonArray([.. provider.Traits.Order(StringComparer.Ordinal).Select(t => (JsonNode)t)]),
            }, cancellationToken);
            generations[provider.Uuid] = written["resource_provider_generation"].Integer();
        }

        if (plan.AllocationsChanged)
        {
            await ReshapeAsync(tree, plan, generations, cancellationToken);
        }
        else
        {
            foreach (var provider in plan.Providers)
            {
                var written = await SendAsync(HttpMethod.Put, $"resource_providers/{provider.Uuid}/inventories", new JsonObject
                {
                    ["resource_provider_generation"] = generations[provider.Uuid],
                    ["inventories"] = InventoryOf(provider, tree),
                }, cancellationToken);
                generations[provider.Uuid] = written["resource_provider_generation"].Integer();
            }
        }
    }

    /// <summary>07 LV-18: the compute node provider carries exactly the vIOMMU model traits its hypervisor supports;
    /// its other traits are kept. Written only when they differ.</summary>
    private async Task WriteRootTraitsAsync(string rootUuid, HypervisorCapabilities hypervisor, CancellationToken cancellationToken)
    {
        var current = await SendAsync(HttpMethod.Get, $"resource_providers/{rootUuid}/traits", null, cancellationToken);
        var traits = current["traits"].Items().Select(t => t.Text()).ToHashSet(StringComparer.Ordinal);
        var wanted = new HashSet<string>(traits, StringComparer.Ordinal);
        foreach (var (trait, reported) in hypervisor.ViommuTraits())
        {
            _ = reported ? wanted.Add(trait) : wanted.Remove(trait);
        }

        if (!wanted.SetEquals(traits))
        {
            await SendAsync(HttpMethod.Put, $"resource_providers/{rootUuid}/traits", new JsonObject
            {
                ["resource_provider_generation"] = current["resource_provider_generation"].Integer(),
                ["traits"] = new JsonArray([.. wanted.Order(StringComparer.Ordinal).Select(t => (JsonNode)t)]),
            }, cancellationToken);
        }
    }

    /// <summary>PM-18 step 4: inventories and healed allocations in one transaction. A healed consumer keeps its
    /// allocations outside this compute's tree untouched.</summary>
    private async Task ReshapeAsync(Tree tree, PciPlacementPlan plan, Dictionary<string, int> generations, CancellationToken cancellationToken)
    {
        var inventories = new JsonObject();
        foreach (var provider in plan.Providers)
        {
            inventories[provider.Uuid] = new JsonObject
            {
                ["resource_provider_generation"] = generations[provider.Uuid],
                ["inventories"] = InventoryOf(provider, tree),
            };
        }

        var allocations = new JsonObject();
        foreach (var (consumer, healed) in plan.Allocations)
        {
            if (tree.State.Allocations.TryGetValue(consumer, out var before) && SameAmounts(before, healed))
            {
                continue;
            }

            var current = await SendAsync(HttpMethod.Get, $"allocations/{consumer}", null, cancellationToken);
            var resources = new JsonObject();
            foreach (var (provider, entry) in current["allocations"].Members().Where(a => !tree.Providers.ContainsKey(a.Key)))
            {
                resources[provider] = new JsonObject { ["resources"] = Resources(Amounts(entry["resources"])) };
            }

            foreach (var (provider, amounts) in healed)
            {
                resources[provider] = new JsonObject { ["resources"] = Resources(amounts) };
            }

            allocations[consumer] = new JsonObject
            {
                ["allocations"] = resources,
                ["project_id"] = current["project_id"].Text(),
                ["user_id"] = current["user_id"].Text(),
                ["consumer_generation"] = current["consumer_generation"].Copy(),
                ["consumer_type"] = current["consumer_type"].Copy() ?? "INSTANCE",
            };
        }

        await SendAsync(HttpMethod.Post, "reshaper", new JsonObject { ["inventories"] = inventories, ["allocations"] = allocations },
            cancellationToken);
    }

    /// <summary>PM-17/PM-19: total and max_unit; <c>reserved</c> as planned for a one-time-use device in use, else
    /// what Placement holds (the compute never lowers it).</summary>
    private static JsonObject InventoryOf(PciProviderPlan provider, Tree tree)
    {
        var reserved = provider.Reserved
            ?? tree.CurrentReserved.GetValueOrDefault($"{provider.Uuid}/{provider.ResourceClass}");
        return new JsonObject
        {
            [provider.ResourceClass] = new JsonObject { ["total"] = provider.Total, ["max_unit"] = provider.Total, ["reserved"] = reserved },
        };
    }

    private static Dictionary<string, int> Amounts(PlacementAnswer resources) =>
        resources.Members().ToDictionary(r => r.Key, r => r.Value.Integer(), StringComparer.Ordinal);

    private static JsonObject Resources(IReadOnlyDictionary<string, int> amounts) =>
        new([.. amounts.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))]);

    private static bool SameAmounts(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> before, IReadOnlyDictionary<string, Dictionary<string, int>> after) =>
        before.Count == after.Count && after.All(p => before.TryGetValue(p.Key, out var amounts) &&
            amounts.Count == p.Value.Count && p.Value.All(a => amounts.GetValueOrDefault(a.Key, -1) == a.Value));

    private async Task<PlacementAnswer> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("OpenStack-API-Version", Microversion);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw PlacementReportException.From(method, path, response.StatusCode, text);
        }

        try
        {
            return new PlacementAnswer(
                response.StatusCode == HttpStatusCode.NoContent || text.Length == 0 ? null : JsonNode.Parse(text),
                $"{(int)response.StatusCode} to {method} /{path}", "");
        }
        catch (JsonException)
        {
            // e.g. a proxy's page: the round fails as with a failing server, instead of the agent stopping
            throw new PlacementReportException($"Placement answered {(int)response.StatusCode} to {method} /{path} with text that "
                + $"is not JSON: {text[..Math.Min(text.Length, 200)]}", HttpStatusCode.BadGateway, null);
        }
    }
}

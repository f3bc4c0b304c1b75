using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests;

/// <summary>Builders for the state most tests start from.</summary>
public static class PlacementSetup
{
    public static string NewUuid() => Guid.NewGuid().ToString();

    public static async Task<string> CreateProviderAsync(this PlacementClient client, string name, string? parent = null)
    {
        var uuid = NewUuid();
        var response = await client.PostAsync("resource_providers",
            new JsonObject { ["name"] = name, ["uuid"] = uuid, ["parent_provider_uuid"] = parent });
        response.Status.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Created);
        return uuid;
    }

    /// <summary>Replaces the inventories (each class: total, and optional max_unit) and returns the new generation.</summary>
    public static async Task<int> SetInventoryAsync(this PlacementClient client, string provider, params (string Class, int Total)[] inventories)
    {
        var current = (await client.GetAsync($"resource_providers/{provider}")).Json["generation"]!.GetValue<int>();
        var response = await client.PutAsync($"resource_providers/{provider}/inventories", new JsonObject
        {
            ["resource_provider_generation"] = current,
            ["inventories"] = new JsonObject(inventories.Select(i =>
                KeyValuePair.Create(i.Class, (JsonNode?)new JsonObject { ["total"] = i.Total }))),
        });
        response.Status.ShouldBe(HttpStatusCode.OK, response.Text);
        return response.Json["resource_provider_generation"]!.GetValue<int>();
    }

    /// <summary>One inventory record with every field (PUT …/inventories).</summary>
    public static JsonObject Inventory(int total, int reserved = 0, int min = 1, int max = 1000, int step = 1, double ratio = 1.0) => new()
    {
        ["total"] = total,
        ["reserved"] = reserved,
        ["min_unit"] = min,
        ["max_unit"] = max,
        ["step_size"] = step,
        ["allocation_ratio"] = ratio,
    };

    /// <summary>Sets the first inventories of a new provider (generation 0).</summary>
    public static async Task SetNewInventoriesAsync(this PlacementClient client, string provider,
        params (string Class, JsonObject Inventory)[] inventories)
    {
        var response = await client.PutAsync($"resource_providers/{provider}/inventories", new JsonObject
        {
            ["resource_provider_generation"] = 0,
            ["inventories"] = new JsonObject(inventories.Select(i => KeyValuePair.Create(i.Class, (JsonNode?)i.Inventory))),
        });
        response.Status.ShouldBe(HttpStatusCode.OK, response.Text);
    }

    public static async Task CreateResourceClassAsync(this PlacementClient client, string name) =>
        (await client.PutAsync($"resource_classes/{name}", null)).Status.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.NoContent);

    public static async Task CreateTraitAsync(this PlacementClient client, string trait) =>
        (await client.PutAsync($"traits/{trait}", null)).Status.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.NoContent);

    public static async Task SetTraitsAsync(this PlacementClient client, string provider, params string[] traits)
    {
        var current = (await client.GetAsync($"resource_providers/{provider}")).Json["generation"]!.GetValue<int>();
        var response = await client.PutAsync($"resource_providers/{provider}/traits", new JsonObject
        {
            ["resource_provider_generation"] = current,
            ["traits"] = new JsonArray([.. traits.Select(t => (JsonNode)t)]),
        });
        response.Status.ShouldBe(HttpStatusCode.OK, response.Text);
    }

    /// <summary>Puts each provider in <paramref name="aggregate"/> (its only aggregate), at its current generation.</summary>
    public static async Task SetAggregateAsync(this PlacementClient client, string aggregate, params string[] providers)
    {
        foreach (var provider in providers)
        {
            await client.SetAggregatesAsync(provider, aggregate);
        }
    }

    /// <summary>Replaces the aggregates of <paramref name="provider"/>, at its current generation.</summary>
    public static async Task SetAggregatesAsync(this PlacementClient client, string provider, params string[] aggregates)
    {
        var generation = (await client.GetAsync($"resource_providers/{provider}")).Json["generation"]!.GetValue<int>();
        (await client.PutAsync($"resource_providers/{provider}/aggregates", new JsonObject
        {
            ["resource_provider_generation"] = generation,
            ["aggregates"] = new JsonArray([.. aggregates.Select(a => (JsonNode)a)]),
        })).Status.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>A 1.38-style allocation body for one consumer.</summary>
    public static JsonObject Allocation(int? consumerGeneration, params (string Provider, string Class, int Amount)[] amounts) => new()
    {
        ["allocations"] = new JsonObject(amounts.GroupBy(a => a.Provider).Select(g => KeyValuePair.Create(g.Key,
            (JsonNode?)new JsonObject
            {
                ["resources"] = new JsonObject(g.Select(a => KeyValuePair.Create(a.Class, (JsonNode?)a.Amount))),
            }))),
        ["project_id"] = "p1",
        ["user_id"] = "u1",
        ["consumer_generation"] = consumerGeneration,
        ["consumer_type"] = "INSTANCE",
    };
}

using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>08 §12: moving VFs from the compute node to a PF child with their allocations, in one request.</summary>
public sealed class ReshaperTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    private static JsonObject Inventories(int generation, params (string Class, int Total)[] inventories) => new()
    {
        ["resource_provider_generation"] = generation,
        ["inventories"] = new JsonObject(inventories.Select(i =>
            KeyValuePair.Create(i.Class, (JsonNode?)new JsonObject { ["total"] = i.Total }))),
    };

    [Fact]
    public async Task PA50_MovesInventoryAndAllocationsTogether()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("reshape-cn");
        var pf = await client.CreateProviderAsync("reshape-pf", cn);
        var cnGeneration = await client.SetInventoryAsync(cn, ("VCPU", 8), ("SRIOV_NET_VF", 4));
        var consumer = PlacementSetup.NewUuid();
        (await client.PutAsync($"allocations/{consumer}", PlacementSetup.Allocation(null, (cn, "VCPU", 1), (cn, "SRIOV_NET_VF", 2))))
            .Status.ShouldBe(HttpStatusCode.NoContent);
        cnGeneration++;

        var keepVfOnRoot = await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject { [cn] = Inventories(cnGeneration, ("VCPU", 8)) },
            ["allocations"] = new JsonObject(),
        });
        keepVfOnRoot.ErrorCode.ShouldBe("placement.inventory.inuse");

        var stale = await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject { [cn] = Inventories(cnGeneration - 1, ("VCPU", 8)) },
            ["allocations"] = new JsonObject(),
        });
        stale.ErrorCode.ShouldBe("placement.concurrent_update");

        var unknown = await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject { [PlacementSetup.NewUuid()] = Inventories(0, ("VCPU", 8)) },
            ["allocations"] = new JsonObject(),
        });
        unknown.ErrorCode.ShouldBe("placement.resource_provider.not_found");

        var moved = await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject
            {
                [cn] = Inventories(cnGeneration, ("VCPU", 8)),
                [pf] = Inventories(0, ("SRIOV_NET_VF", 4)),
            },
            ["allocations"] = new JsonObject
            {
                [consumer] = PlacementSetup.Allocation(1, (cn, "VCPU", 1), (pf, "SRIOV_NET_VF", 2)),
            },
        });
        moved.Status.ShouldBe(HttpStatusCode.NoContent, moved.Text);
        (await client.GetAsync($"resource_providers/{cn}/inventories")).Json["inventories"]!.AsObject()
            .Select(i => i.Key).ShouldBe(["VCPU"]);
        (await client.GetAsync($"resource_providers/{pf}/usages")).Json["usages"]!["SRIOV_NET_VF"]!.GetValue<int>().ShouldBe(2);
        (await client.GetAsync($"allocations/{consumer}")).Json["consumer_generation"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task PA50_Generations_UnionIfItChanges_AllocationsOnce_FinalInventory_StaleSaysActualAndGiven()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("reshape-gen-cn");
        var child = await client.CreateProviderAsync("reshape-gen-child", cn);
        var generation = await client.SetInventoryAsync(cn, ("VCPU", 8));
        (await client.PostAsync("allocations", new JsonObject
        {
            [PlacementSetup.NewUuid()] = PlacementSetup.Allocation(null, (cn, "VCPU", 1)),
            [PlacementSetup.NewUuid()] = PlacementSetup.Allocation(null, (cn, "VCPU", 2)),
        })).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync($"resource_providers/{cn}")).Json["generation"]!.GetValue<int>().ShouldBe(generation + 1);

        var stale = await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject { [cn] = Inventories(generation, ("VCPU", 8)) },
            ["allocations"] = new JsonObject(),
        });
        stale.ErrorDetail.ShouldContain($"actual: {generation + 1}, given: {generation}");

        // The union leaves the root as it was (no bump) and adds the child's class (bump); no allocation moves.
        (await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject
            {
                [cn] = Inventories(generation + 1, ("VCPU", 8)),
                [child] = Inventories(0, ("SRIOV_NET_VF", 4)),
            },
            ["allocations"] = new JsonObject(),
        })).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync($"resource_providers/{cn}")).Json["generation"]!.GetValue<int>().ShouldBe(generation + 2);
        (await client.GetAsync($"resource_providers/{child}")).Json["generation"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact] // differential finding: the in-use detail names every allocated class the reshape would remove
    public async Task PA50_InUse_NamesEveryAllocatedClassRemoved()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("reshape-inuse");
        var generation = await client.SetInventoryAsync(cn, ("VCPU", 8), ("VGPU", 2), ("SRIOV_NET_VF", 4));
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}",
            PlacementSetup.Allocation(null, (cn, "VGPU", 1), (cn, "SRIOV_NET_VF", 1)))).Status.ShouldBe(HttpStatusCode.NoContent);
        var response = await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject { [cn] = Inventories(generation + 1, ("VCPU", 8)) },
            ["allocations"] = new JsonObject(),
        });
        response.ErrorCode.ShouldBe("placement.inventory.inuse");
        response.ErrorDetail.ShouldContain($"update conflict: Inventory for 'SRIOV_NET_VF, VGPU' on resource provider '{cn}' in use.");
    }

    [Fact] // differential finding: every provider is found at its generation before any class is looked up
    public async Task PA50_UnknownProviderBeforeUnknownClass_PlacementsWording()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("reshape-order");
        var generation = await client.SetInventoryAsync(cn, ("VCPU", 8));
        var missing = PlacementSetup.NewUuid();
        var unknownProvider = await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject
            {
                [cn] = Inventories(generation, ("CUSTOM_RESHAPE_NOPE", 1)),
                [missing] = Inventories(0),
            },
            ["allocations"] = new JsonObject(),
        });
        unknownProvider.ErrorCode.ShouldBe("placement.resource_provider.not_found");
        unknownProvider.ErrorDetail.ShouldContain($"Resource provider {missing} in inventories not found");
        var unknownClass = await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject { [cn] = Inventories(generation, ("CUSTOM_RESHAPE_NOPE", 1)) },
            ["allocations"] = new JsonObject(),
        });
        unknownClass.ErrorDetail.ShouldContain("malformed reshaper data: No such resource class CUSTOM_RESHAPE_NOPE.");
        var unknownAllocatedClass = await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject { [cn] = Inventories(generation, ("VCPU", 8)) },
            ["allocations"] = new JsonObject { [PlacementSetup.NewUuid()] = PlacementSetup.Allocation(null, (cn, "CUSTOM_RESHAPE_NOPE", 1)) },
        });
        unknownAllocatedClass.ErrorDetail.ShouldBe("malformed reshaper data: No such resource class CUSTOM_RESHAPE_NOPE.");
        var stale = await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject { [cn] = Inventories(generation - 1, ("VCPU", 8)) },
            ["allocations"] = new JsonObject(),
        });
        stale.ErrorDetail.ShouldContain($"resource provider generation conflict for provider {cn}: actual: {generation}, given: {generation - 1}");
    }

    [Fact] // differential finding: Placement's reshaper never checks reserved against total (an inventory PUT does, PA-22)
    public async Task PA50_ReservedAboveTotal_IsStored_AllocatingOnItIsA409_RemovingAnAllocatedClassIsInUse()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("reshape-reserved");
        var generation = await client.SetInventoryAsync(cn, ("VCPU", 8), ("DISK_GB", 10));
        JsonObject Negative(int at, params (string Class, int Total)[] others)
        {
            var body = Inventories(at, others);
            body["inventories"]!["VCPU"] = new JsonObject { ["total"] = 4, ["reserved"] = 9 };
            return body;
        }

        var stored = await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject { [cn] = Negative(generation, ("DISK_GB", 10)) },
            ["allocations"] = new JsonObject(),
        });
        stored.Status.ShouldBe(HttpStatusCode.NoContent, stored.Text);
        generation += 2;
        (await client.GetAsync($"resource_providers/{cn}/inventories")).Json["inventories"]!["VCPU"]!["reserved"]!.GetValue<int>()
            .ShouldBe(9);

        var allocating = await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject { [cn] = Negative(generation, ("DISK_GB", 10)) },
            ["allocations"] = new JsonObject { [PlacementSetup.NewUuid()] = PlacementSetup.Allocation(null, (cn, "VCPU", 1)) },
        });
        allocating.Status.ShouldBe(HttpStatusCode.Conflict);
        allocating.ErrorDetail.ShouldContain($"Unable to allocate inventory: Unable to create allocation for 'VCPU' on resource provider '{cn}'.");

        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(null, (cn, "DISK_GB", 1))))
            .Status.ShouldBe(HttpStatusCode.NoContent);
        var removing = await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject { [cn] = Negative(generation + 1) },
            ["allocations"] = new JsonObject(),
        });
        removing.Status.ShouldBe(HttpStatusCode.Conflict);
        removing.ErrorCode.ShouldBe("placement.inventory.inuse");
        removing.ErrorDetail.ShouldContain($"update conflict: Inventory for 'DISK_GB' on resource provider '{cn}' in use.");
    }

    [Fact] // differential finding: Placement looks up an inventory's class after the consumers and the allocated providers
    public async Task PA50_UnknownInventoryClass_ComesAfterConsumerGenerationsAndAllocatedProviders()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("reshape-class-after-consumers");
        var generation = await client.SetInventoryAsync(cn, ("VCPU", 8));
        JsonObject Body(JsonObject allocations) => new()
        {
            ["inventories"] = new JsonObject { [cn] = Inventories(generation, ("CUSTOM_RESHAPE_ORDER_NOPE", 4)) },
            ["allocations"] = allocations,
        };

        var conflict = await client.PostAsync("reshaper", Body(new JsonObject { [PlacementSetup.NewUuid()] = PlacementSetup.Allocation(5, (cn, "VCPU", 1)) }));
        conflict.ErrorCode.ShouldBe("placement.concurrent_update");
        conflict.ErrorDetail.ShouldContain("consumer generation conflict - expected null but got 5");
        var missing = PlacementSetup.NewUuid();
        var unknownProvider = await client.PostAsync("reshaper", Body(new JsonObject { [PlacementSetup.NewUuid()] = PlacementSetup.Allocation(null, (missing, "VCPU", 1)) }));
        unknownProvider.ErrorDetail.ShouldBe($"Allocation for resource provider '{missing}' that does not exist.");
        var unknownClass = await client.PostAsync("reshaper", Body(new JsonObject { [PlacementSetup.NewUuid()] = PlacementSetup.Allocation(null, (cn, "VCPU", 99)) }));
        unknownClass.ErrorDetail.ShouldBe("malformed reshaper data: No such resource class CUSTOM_RESHAPE_ORDER_NOPE.");
    }

    [Fact]
    public async Task PA50_Before130_Is404()
    {
        using var client = server.Client("1.29");
        (await client.PostAsync("reshaper", new JsonObject())).Status.ShouldBe(HttpStatusCode.NotFound);
    }
}

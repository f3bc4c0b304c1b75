using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>08 §9–§10: allocations, consumers, usages.</summary>
public sealed class AllocationTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    private async Task<(PlacementClient Client, string Cn, string Pf)> HostAsync(string name)
    {
        var client = server.Client();
        var cn = await client.CreateProviderAsync(name);
        var pf = await client.CreateProviderAsync($"{name}_pf0", cn);
        var generation = (await client.GetAsync($"resource_providers/{cn}")).Json["generation"]!.GetValue<int>();
        (await client.PutAsync($"resource_providers/{cn}/inventories", new JsonObject
        {
            ["resource_provider_generation"] = generation,
            ["inventories"] = new JsonObject
            {
                ["VCPU"] = new JsonObject { ["total"] = 16, ["allocation_ratio"] = 4, ["max_unit"] = 16 },
                ["MEMORY_MB"] = new JsonObject { ["total"] = 65536, ["reserved"] = 512 },
            },
        })).Status.ShouldBe(HttpStatusCode.OK);
        await client.SetInventoryAsync(pf, ("SRIOV_NET_VF", 8));
        return (client, cn, pf);
    }

    [Fact]
    public async Task PA34_ResourceClasses_UnknownIs400_KnownWithoutInventoryIs409_CustomWithInventoryIsClaimed()
    {
        var (client, _, pf) = await HostAsync("alloc-classes");
        using var owned = client;
        await client.CreateResourceClassAsync("CUSTOM_PCI_8086_154C");
        var vfs = await client.CreateProviderAsync("alloc-classes_vfs");
        await client.SetInventoryAsync(vfs, ("CUSTOM_PCI_8086_154C", 2));

        var consumer = PlacementSetup.NewUuid();
        (await client.PutAsync($"allocations/{consumer}", PlacementSetup.Allocation(null, (pf, "CUSTOM_NOPE", 1))))
            .ErrorDetail.ShouldBe($"Unable to allocate inventory for consumer {consumer}: No such resource class CUSTOM_NOPE.");
        (await client.PostAsync("allocations", new JsonObject { [consumer] = PlacementSetup.Allocation(null, (pf, "CUSTOM_NOPE", 1)) }))
            .ErrorDetail.ShouldBe("Unable to allocate inventory No such resource class CUSTOM_NOPE.");
        var noInventory = await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}",
            PlacementSetup.Allocation(null, (pf, "CUSTOM_PCI_8086_154C", 1)));
        noInventory.Status.ShouldBe(HttpStatusCode.Conflict);
        noInventory.ErrorDetail.ShouldBe(
            $"Unable to allocate inventory: Inventory for 'CUSTOM_PCI_8086_154C' on resource provider '{pf}' invalid.");
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(null, (vfs, "CUSTOM_PCI_8086_154C", 1))))
            .Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync($"resource_providers/{vfs}/usages")).Json["usages"]!["CUSTOM_PCI_8086_154C"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact] // examples 9, 10, 11, 14
    public async Task PA35_PA37_ConsumerGenerations_Constraints_Usages()
    {
        var (client, cn, pf) = await HostAsync("alloc-ex9");
        using var owned = client;
        var consumer = PlacementSetup.NewUuid();
        var pfBefore = (await client.GetAsync($"resource_providers/{pf}")).Json["generation"]!.GetValue<int>();
        var write = PlacementSetup.Allocation(null, (cn, "VCPU", 2), (cn, "MEMORY_MB", 2048), (pf, "SRIOV_NET_VF", 1));
        (await client.PutAsync($"allocations/{consumer}", write.DeepClone())).Status.ShouldBe(HttpStatusCode.NoContent);

        var shown = (await client.GetAsync($"allocations/{consumer}")).Json;
        shown["consumer_generation"]!.GetValue<int>().ShouldBe(1);
        shown["consumer_type"]!.GetValue<string>().ShouldBe("INSTANCE");
        shown["project_id"]!.GetValue<string>().ShouldBe("p1");
        shown["allocations"]![pf]!["generation"]!.GetValue<int>().ShouldBe(pfBefore + 1);
        shown["allocations"]![cn]!["resources"]!["MEMORY_MB"]!.GetValue<int>().ShouldBe(2048);

        var again = await client.PutAsync($"allocations/{consumer}", write.DeepClone());
        again.Status.ShouldBe(HttpStatusCode.Conflict);
        again.ErrorCode.ShouldBe("placement.concurrent_update");
        again.ErrorDetail.ShouldContain("consumer generation conflict - expected 1 but got None");

        var tooMany = await client.PutAsync($"allocations/{consumer}", PlacementSetup.Allocation(1, (cn, "VCPU", 9999)));
        tooMany.Status.ShouldBe(HttpStatusCode.Conflict);
        tooMany.ErrorCode.ShouldBe("placement.undefined_code");
        tooMany.ErrorDetail.ShouldContain("would violate inventory constraints");

        var usages = (await client.GetAsync("usages?project_id=p1")).Json["usages"]!["INSTANCE"]!;
        usages["VCPU"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(2);
        usages["consumer_count"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(1);
        var providerUsages = (await client.GetAsync($"resource_providers/{cn}/usages")).Json["usages"]!;
        providerUsages["VCPU"]!.GetValue<int>().ShouldBe(2);
        providerUsages["MEMORY_MB"]!.GetValue<int>().ShouldBe(2048);
    }

    [Fact] // differential findings: a negative consumer generation is a conflict; extra keys are named before missing ones
    public async Task PA35_NegativeGeneration_IsAConflict_ExtraKeysReportedFirst()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("alloc-negative");
        await client.SetInventoryAsync(cn, ("VCPU", 4));
        var negative = await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(-1, (cn, "VCPU", 1)));
        negative.Status.ShouldBe(HttpStatusCode.Conflict);
        negative.ErrorDetail.ShouldContain("consumer generation conflict - expected null but got -1");
        var extra = await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}",
            new JsonObject { ["allocations"] = new JsonObject(), ["bogus"] = 1, ["other"] = true });
        extra.ErrorDetail.ShouldContain("Additional properties are not allowed ('bogus', 'other' were unexpected)");
        var flag = PlacementSetup.Allocation(null, (cn, "VCPU", 1));
        flag["allocations"]![cn]!["resources"]!["VCPU"] = true;
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", flag)).ErrorDetail.ShouldContain("True is not of type 'integer'");
    }

    [Fact] // differential findings: jsonschema reports the shallowest error first, and sorts unexpected keys
    public async Task PA33_BodyErrors_ShallowestFirst_ExtraKeysSorted()
    {
        using var client = server.Client();
        (await client.PostAsync("allocations", new JsonObject())).ErrorDetail.ShouldContain("{} does not have enough properties");
        (await client.PostAsync("allocations", new JsonObject
        {
            [PlacementSetup.NewUuid()] = new JsonObject { ["allocations"] = new JsonObject() },
            ["not-a-uuid"] = new JsonObject(),
        })).ErrorDetail.ShouldContain("'not-a-uuid' does not match any of the regexes: '^[0-9a-fA-F-]{36}$'");
        using var old = server.Client("1.6");
        (await old.PutAsync($"allocations/{PlacementSetup.NewUuid()}", new JsonObject
        {
            ["allocations"] = new JsonArray(),
            ["zeta"] = 1,
            ["alpha"] = 1,
        })).ErrorDetail.ShouldContain("Additional properties are not allowed ('alpha', 'zeta' were unexpected)");
    }

    [Fact]
    public async Task PA35_GenerationForAConsumerThatDoesNotExist_ExpectedNull()
    {
        using var client = server.Client();
        var rp = await client.CreateProviderAsync("gen-null");
        await client.SetInventoryAsync(rp, ("VCPU", 4));
        var response = await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(5, (rp, "VCPU", 1)));
        response.Status.ShouldBe(HttpStatusCode.Conflict);
        response.ErrorDetail.ShouldContain("consumer generation conflict - expected null but got 5");
    }

    [Theory]
    [InlineData("{\"nice_house_friend\":{\"resources\":{\"VCPU\":1}}}", "does not match any of the regexes")]
    [InlineData("{\"RP\":{\"resources\":{\"vcpu\":1}}}", "does not match any of the regexes")]
    [InlineData("{\"RP\":{\"resources\":{}}}", "does not have enough properties")]
    [InlineData("{}", "does not have enough properties")]
    public async Task PA34_Bodies_AreRefusedInJsonSchemaWords(string allocations, string expected)
    {
        using var client = server.Client("1.12");
        var body = new JsonObject
        {
            ["allocations"] = JsonNode.Parse(allocations.Replace("RP", PlacementSetup.NewUuid(), StringComparison.Ordinal)),
            ["project_id"] = "p",
            ["user_id"] = "u",
        };
        var response = await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", body);
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ErrorDetail.ShouldStartWith("JSON does not validate");
        response.ErrorDetail.ShouldContain(expected);
    }

    [Theory]
    [InlineData("{\"alpha\":\"beta\"}", "JSON does not validate: 'beta' is not of type 'array'")]
    [InlineData("{}", "JSON does not validate: {} does not have enough properties")]
    public async Task PA33_Mappings_AreCheckedForFormFrom134(string mappings, string expected)
    {
        using var client = server.Client("1.34");
        var rp = await client.CreateProviderAsync($"mappings-{Guid.NewGuid():N}");
        await client.SetInventoryAsync(rp, ("VCPU", 4));
        var body = PlacementSetup.Allocation(null, (rp, "VCPU", 1));
        body.Remove("consumer_type");
        body["mappings"] = JsonNode.Parse(mappings);
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", body)).ErrorDetail.ShouldStartWith(expected);
        body["mappings"] = new JsonObject { [""] = new JsonArray(rp) };
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", body)).Status.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task PA34_OverCapacity_Is409_UnknownProviderIs400()
    {
        var (client, cn, pf) = await HostAsync("alloc-capacity");
        using var owned = client;
        for (var i = 0; i < 8; i++)
        {
            (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(null, (pf, "SRIOV_NET_VF", 1))))
                .Status.ShouldBe(HttpStatusCode.NoContent);
        }

        var ninth = await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(null, (pf, "SRIOV_NET_VF", 1)));
        ninth.Status.ShouldBe(HttpStatusCode.Conflict);
        ninth.ErrorDetail.ShouldContain("The requested amount would exceed the capacity");
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(null, (cn, "DISK_GB", 1))))
            .Status.ShouldBe(HttpStatusCode.Conflict);
        var missing = PlacementSetup.NewUuid();
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(null, (missing, "VCPU", 1))))
            .ErrorDetail.ShouldBe($"Allocation for resource provider '{missing}' that does not exist.");
        (await client.PutAsync("allocations/not-a-uuid", PlacementSetup.Allocation(null, (cn, "VCPU", 1))))
            .ErrorDetail.ShouldContain("Malformed consumer_uuid");
    }

    [Fact] // differential finding: Placement first names the providers with none of the request's classes, with all of them
    public async Task PA34_ProviderWithoutAnyRequestedClass_IsNamedBeforeCapacity_WithEveryClass()
    {
        var (client, cn, pf) = await HostAsync("alloc-bare");
        using var owned = client;
        var response = await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}",
            PlacementSetup.Allocation(null, (cn, "VCPU", 1000), (pf, "PCPU", 1), (pf, "DISK_GB", 1)));
        response.Status.ShouldBe(HttpStatusCode.Conflict);
        response.ErrorDetail.ShouldBe($"Unable to allocate inventory: Inventory for 'VCPU, DISK_GB, PCPU' on resource provider '{pf}' invalid.");
    }

    [Fact] // differential finding: custom classes in the order they were created (Placement's class id order)
    public async Task PA34_ProviderWithoutAnyRequestedClass_NamesCustomClassesInCreationOrder()
    {
        var (client, _, pf) = await HostAsync("alloc-bare-custom");
        using var owned = client;
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        string[] created = [$"CUSTOM_ZZ_{suffix}", $"CUSTOM_AA_{suffix}"];
        foreach (var name in created)
        {
            await client.CreateResourceClassAsync(name);
        }

        var response = await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}",
            PlacementSetup.Allocation(null, (pf, created[1], 1), (pf, created[0], 1), (pf, "VCPU", 1)));

        response.Status.ShouldBe(HttpStatusCode.Conflict);
        response.ErrorDetail.ShouldBe($"Unable to allocate inventory: Inventory for 'VCPU, {created[0]}, {created[1]}' on resource provider '{pf}' invalid.");
    }

    [Fact] // differential finding: Placement checks allocation by allocation, in the order the request lists them
    public async Task PA33_SeveralConsumers_CheckedInRequestOrder_CapacityAgainstTheSumSoFar()
    {
        var (client, cn, _) = await HostAsync("alloc-order");
        using var owned = client;
        var response = await client.PostAsync("allocations", new JsonObject
        {
            [PlacementSetup.NewUuid()] = PlacementSetup.Allocation(null, (cn, "MEMORY_MB", 40000), (cn, "VCPU", 17)),
            [PlacementSetup.NewUuid()] = PlacementSetup.Allocation(null, (cn, "MEMORY_MB", 30000)),
        });
        response.ErrorDetail.ShouldBe($"Unable to allocate inventory: Unable to create allocation for 'VCPU' on resource provider '{cn}'. " +
            "The requested amount would violate inventory constraints: 17 is not between min_unit 1 and max_unit 16 in steps of 1.");
    }

    [Fact] // differential finding: Placement's schema sets no maximum on amounts and generations
    public async Task PA34_AmountAboveTheIntRange_ViolatesTheConstraints_HugeGenerationsConflict()
    {
        var (client, cn, pf) = await HostAsync("alloc-huge");
        using var owned = client;
        var huge = PlacementSetup.Allocation(null, (cn, "VCPU", 1), (pf, "SRIOV_NET_VF", 1));
        huge["allocations"]![cn]!["resources"]!["VCPU"] = 2147483648L;
        var put = await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", huge.DeepClone());
        var post = await client.PostAsync("allocations", new JsonObject { [PlacementSetup.NewUuid()] = huge.DeepClone() });
        foreach (var response in new[] { put, post })
        {
            response.Status.ShouldBe(HttpStatusCode.Conflict);
            response.ErrorDetail.ShouldBe($"Unable to allocate inventory: Unable to create allocation for 'VCPU' on resource provider '{cn}'. " +
                "The requested amount would violate inventory constraints: more than 2147483647 is not between min_unit 1 and " +
                "max_unit 16 in steps of 1.");
        }

        var lacking = PlacementSetup.Allocation(null, (cn, "VCPU", 1), (pf, "SRIOV_NET_VF", 1));
        lacking["allocations"]![pf]!["resources"]!["DISK_GB"] = 99999999999999999999m;
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", lacking)).ErrorDetail
            .ShouldBe($"Unable to allocate inventory: Inventory for 'DISK_GB' on resource provider '{pf}' invalid.");

        var generation = PlacementSetup.Allocation(null, (cn, "VCPU", 1));
        generation["consumer_generation"] = 2147483648L;
        var consumer = PlacementSetup.NewUuid();
        var conflict = await client.PutAsync($"allocations/{consumer}", generation);
        conflict.ErrorCode.ShouldBe("placement.concurrent_update");
        conflict.ErrorDetail.ShouldBe($"consumer generation conflict - expected null but got 2147483648 (consumer {consumer})");
        var inventories = await client.PutAsync($"resource_providers/{pf}/inventories",
            new JsonObject { ["resource_provider_generation"] = 2147483648L, ["inventories"] = new JsonObject() });
        inventories.Status.ShouldBe(HttpStatusCode.Conflict);
        inventories.ErrorCode.ShouldBe("placement.concurrent_update");
    }

    [Fact] // example 20
    public async Task PA33_PostEmptyAllocations_DeletesConsumers()
    {
        var (client, cn, pf) = await HostAsync("alloc-ex20");
        using var owned = client;
        var a = PlacementSetup.NewUuid();
        var b = PlacementSetup.NewUuid();
        (await client.PostAsync("allocations", new JsonObject
        {
            [a] = PlacementSetup.Allocation(null, (cn, "VCPU", 1)),
            [b] = PlacementSetup.Allocation(null, (pf, "SRIOV_NET_VF", 1)),
        })).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync($"resource_providers/{pf}/allocations")).Json["allocations"]![b]!["consumer_generation"]!
            .GetValue<int>().ShouldBe(1);

        (await client.PostAsync("allocations", new JsonObject
        {
            [a] = PlacementSetup.Allocation(1),
            [b] = PlacementSetup.Allocation(1),
        })).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync($"allocations/{a}")).Json.ToJsonString().ShouldBe("""{"allocations":{}}""");
        (await client.GetAsync($"resource_providers/{pf}/usages")).Json["usages"]!["SRIOV_NET_VF"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task PA33_PostIsAllOrNothing()
    {
        var (client, cn, pf) = await HostAsync("alloc-atomic");
        using var owned = client;
        var a = PlacementSetup.NewUuid();
        var response = await client.PostAsync("allocations", new JsonObject
        {
            [a] = PlacementSetup.Allocation(null, (cn, "VCPU", 1)),
            [PlacementSetup.NewUuid()] = PlacementSetup.Allocation(null, (pf, "SRIOV_NET_VF", 9)),
        });
        response.Status.ShouldBe(HttpStatusCode.Conflict);
        (await client.GetAsync($"allocations/{a}")).Json["allocations"]!.AsObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task PA38_Delete_NoBump_UnknownIs404()
    {
        var (client, cn, _) = await HostAsync("alloc-delete");
        using var owned = client;
        var consumer = PlacementSetup.NewUuid();
        await client.PutAsync($"allocations/{consumer}", PlacementSetup.Allocation(null, (cn, "VCPU", 1)));
        var generation = (await client.GetAsync($"resource_providers/{cn}")).Json["generation"]!.GetValue<int>();
        (await client.DeleteAsync($"allocations/{consumer}")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync($"resource_providers/{cn}")).Json["generation"]!.GetValue<int>().ShouldBe(generation);
        (await client.DeleteAsync($"allocations/{consumer}")).ErrorDetail.ShouldContain("No allocations for consumer");
    }

    [Fact]
    public async Task PA33_ListFormBefore112_DefaultsProjectBefore18()
    {
        var (client, cn, _) = await HostAsync("alloc-old");
        using var owned = client;
        using var old = server.Client("1.7");
        var consumer = PlacementSetup.NewUuid();
        (await old.PutAsync($"allocations/{consumer}", new JsonObject
        {
            ["allocations"] = new JsonArray(new JsonObject
            {
                ["resource_provider"] = new JsonObject { ["uuid"] = cn },
                ["resources"] = new JsonObject { ["VCPU"] = 1 },
            }),
        })).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync($"allocations/{consumer}")).Json["project_id"]!.GetValue<string>()
            .ShouldBe("00000000-0000-0000-0000-000000000000");
    }

    [Theory]
    [InlineData("[]", "JSON does not validate: [] is too short", "minItems")]
    [InlineData("[{\"resource_provider\": {\"uuid\": \"RP\"}, \"resources\": {\"VCPU\": 0}}]",
        "JSON does not validate: 0 is less than the minimum of 1", "minimum")]
    public async Task PA34_ListFormBodies_AreRefusedInJsonSchemaWords(string allocations, string message, string keyword)
    {
        using var client = server.Client("1.0");
        var body = new JsonObject { ["allocations"] = JsonNode.Parse(allocations.Replace("RP", PlacementSetup.NewUuid(), StringComparison.Ordinal)) };

        var refused = await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", body);

        refused.Status.ShouldBe(HttpStatusCode.BadRequest);
        refused.ErrorDetail.ShouldStartWith(message);
        refused.ErrorDetail.ShouldContain($"Failed validating '{keyword}'");
    }
}

using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>08 §5: inventories, validation and generations.</summary>
public sealed class InventoryTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    private static JsonObject Example5(int generation) => new()
    {
        ["resource_provider_generation"] = generation,
        ["inventories"] = new JsonObject
        {
            ["VCPU"] = new JsonObject { ["total"] = 16, ["allocation_ratio"] = 4, ["max_unit"] = 16 },
            ["MEMORY_MB"] = new JsonObject { ["total"] = 65536, ["reserved"] = 512 },
        },
    };

    [Fact] // examples 5 and 6
    public async Task PA24_PutAll_FillsDefaultsAndBumps_StaleGenerationIs409()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("inv-ex5");
        var response = await client.PutAsync($"resource_providers/{cn}/inventories", Example5(0));
        response.Status.ShouldBe(HttpStatusCode.OK);
        response.Json["resource_provider_generation"]!.GetValue<int>().ShouldBe(1);
        var memory = response.Json["inventories"]!["MEMORY_MB"]!;
        memory["min_unit"]!.GetValue<int>().ShouldBe(1);
        memory["max_unit"]!.GetValue<int>().ShouldBe(int.MaxValue);
        memory["step_size"]!.GetValue<int>().ShouldBe(1);
        memory["allocation_ratio"]!.GetValue<double>().ShouldBe(1.0);

        var stale = await client.PutAsync($"resource_providers/{cn}/inventories", Example5(0));
        stale.Status.ShouldBe(HttpStatusCode.Conflict);
        stale.ErrorCode.ShouldBe("placement.concurrent_update");
        stale.ErrorDetail.ShouldContain("resource provider generation conflict");
    }

    [Fact] // differential finding: Placement has no time to send for an empty inventory list
    public async Task PA7_EmptyInventories_NoLastModifiedButNoCache()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("inv-empty-lm");
        using var empty = await client.Http.GetAsync($"resource_providers/{cn}/inventories", TestContext.Current.CancellationToken);
        empty.Content.Headers.LastModified.ShouldBeNull();
        empty.Headers.CacheControl!.NoCache.ShouldBeTrue();
        await client.SetInventoryAsync(cn, ("VCPU", 4));
        using var full = await client.Http.GetAsync($"resource_providers/{cn}/inventories", TestContext.Current.CancellationToken);
        full.Content.Headers.LastModified.ShouldNotBeNull();
    }

    [Fact] // differential findings: a class in the path that does not exist is a 404; POST ignores a generation
    public async Task PA25_PutOneOfUnknownClassIs404_PostIgnoresAGeneration()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("inv-unknown-class");
        var generation = await client.SetInventoryAsync(cn, ("VCPU", 4));
        var unknown = await client.PutAsync($"resource_providers/{cn}/inventories/CUSTOM_INV_NOPE",
            new JsonObject { ["resource_provider_generation"] = generation, ["total"] = 4 });
        unknown.Status.ShouldBe(HttpStatusCode.NotFound);
        unknown.ErrorDetail.ShouldContain("No such resource class CUSTOM_INV_NOPE.");
        var absent = await client.PutAsync($"resource_providers/{cn}/inventories/DISK_GB",
            new JsonObject { ["resource_provider_generation"] = generation, ["total"] = 4 });
        absent.ErrorDetail.ShouldContain($"No inventory record with resource class for resource provider {cn}: No inventory of class DISK_GB found.");
        var posted = await client.PostAsync($"resource_providers/{cn}/inventories",
            new JsonObject { ["resource_class"] = "DISK_GB", ["total"] = 10.0, ["reserved"] = 0.0, ["resource_provider_generation"] = 99 });
        posted.Status.ShouldBe(HttpStatusCode.Created);
        posted.Json["resource_provider_generation"]!.GetValue<int>().ShouldBe(generation + 1);
        (await client.PostAsync($"resource_providers/{cn}/inventories",
                new JsonObject { ["resource_class"] = "MEMORY_MB", ["total"] = 10, ["max_unit"] = 3.5e38 }))
            .ErrorDetail.ShouldContain("3.5E+38 is greater than the maximum of 2147483647");
        var unknownPost = await client.PostAsync($"resource_providers/{cn}/inventories",
            new JsonObject { ["resource_class"] = "CUSTOM_INV_NOPE", ["total"] = 1 });
        unknownPost.ErrorDetail.ShouldContain($"Unable to create inventory for resource provider {cn}: No such resource class CUSTOM_INV_NOPE.");
    }

    [Theory] // differential finding: Placement's schemas only ask generations to be integers
    [InlineData("inventories", "{\"resource_provider_generation\": -1, \"inventories\": {}}")]
    [InlineData("traits", "{\"resource_provider_generation\": -1, \"traits\": []}")]
    [InlineData("aggregates", "{\"resource_provider_generation\": -1, \"aggregates\": []}")]
    [InlineData("inventories/VCPU", "{\"resource_provider_generation\": -1, \"total\": 4}")]
    public async Task PA51_NegativeGeneration_IsAConflictNotA400(string path, string body)
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync($"inv-negative-{path.Replace('/', '-')}");
        await client.SetInventoryAsync(cn, ("VCPU", 4));
        var response = await client.PutAsync($"resource_providers/{cn}/{path}", JsonNode.Parse(body));
        response.Status.ShouldBe(HttpStatusCode.Conflict);
        response.ErrorCode.ShouldBe("placement.concurrent_update");
    }

    [Theory] // found by running Placement's gabbits against both: jsonschema names the first missing key of the
    // schema's list, and Placement lists total first
    [InlineData("POST", "inventories", "{}", "'total' is a required property")]
    [InlineData("POST", "inventories", "{\"total\": 1}", "'resource_class' is a required property")]
    [InlineData("PUT", "inventories/VCPU", "{\"house\": \"red\"}", "'total' is a required property")]
    [InlineData("PUT", "inventories/VCPU", "{\"total\": 1}", "'resource_provider_generation' is a required property")]
    public async Task PA23_PA25_MissingKeys_ReportedInPlacementsOrder(string method, string path, string body, string detail)
    {
        using var client = server.Client("1.20");
        var cn = await client.CreateProviderAsync($"inv-missing-{method}-{path.Replace('/', '-')}-{body.Length}");
        var response = method == "POST"
            ? await client.PostAsync($"resource_providers/{cn}/{path}", JsonNode.Parse(body))
            : await client.PutAsync($"resource_providers/{cn}/{path}", JsonNode.Parse(body));
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ErrorDetail.ShouldContain(detail);
    }

    [Fact] // differential finding: a record missing "total" is reported before another record's bad value
    public async Task PA24_MissingKeyBeforeBadValue()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("inv-shallow-first");
        var response = await client.PutAsync($"resource_providers/{cn}/inventories", new JsonObject
        {
            ["resource_provider_generation"] = 0,
            ["inventories"] = new JsonObject
            {
                ["VCPU"] = new JsonObject { ["total"] = 4, ["min_unit"] = 2147483648L },
                ["DISK_GB"] = new JsonObject { ["reserved"] = 1 },
            },
        });
        response.ErrorDetail.ShouldContain("'total' is a required property");
    }

    [Fact]
    public async Task PA26_IdenticalPutAndEmptyDeleteAll_StillBump()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("inv-bump");
        (await client.PutAsync($"resource_providers/{cn}/inventories", Example5(0))).Status.ShouldBe(HttpStatusCode.OK);
        (await client.PutAsync($"resource_providers/{cn}/inventories", Example5(1)))
            .Json["resource_provider_generation"]!.GetValue<int>().ShouldBe(2);
        var empty = await client.CreateProviderAsync("inv-empty");
        (await client.DeleteAsync($"resource_providers/{empty}/inventories")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync($"resource_providers/{empty}")).Json["generation"]!.GetValue<int>().ShouldBe(1);
    }

    [Theory] // example 7
    [InlineData("1.25", HttpStatusCode.BadRequest)]
    [InlineData("1.26", HttpStatusCode.Created)]
    public async Task PA22_ReservedEqualToTotal_AllowedFrom126(string version, HttpStatusCode expected)
    {
        using var client = server.Client(version);
        var cn = await client.CreateProviderAsync($"inv-ex7-{version}");
        var response = await client.PostAsync($"resource_providers/{cn}/inventories",
            new JsonObject { ["resource_class"] = "DISK_GB", ["total"] = 100, ["reserved"] = 100 });
        response.Status.ShouldBe(expected);
        if (expected == HttpStatusCode.BadRequest)
        {
            response.ErrorDetail.ShouldContain("greater than or equal to total");
        }
        else
        {
            response.Json["resource_provider_generation"]!.GetValue<int>().ShouldBe(1);
        }
    }

    [Theory]
    [InlineData("""{"total": 0}""")]
    [InlineData("""{"total": 1, "reserved": -1}""")]
    [InlineData("""{"total": 1, "step_size": 0}""")]
    [InlineData("""{"total": 1, "min_unit": 0}""")]
    [InlineData("""{"total": 1, "max_unit": 0}""")]
    [InlineData("""{"total": 10, "reserved": 11}""")]
    [InlineData("""{"reserved": 1}""")]
    [InlineData("""{"total": 1, "colour": "red"}""")]
    public async Task PA22_InvalidInventory_Is400AndLeavesGeneration(string inventory)
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync($"inv-bad-{Guid.NewGuid():N}");
        var response = await client.PutAsync($"resource_providers/{cn}/inventories", new JsonObject
        {
            ["resource_provider_generation"] = 0,
            ["inventories"] = new JsonObject { ["VCPU"] = JsonNode.Parse(inventory) },
        });
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync($"resource_providers/{cn}")).Json["generation"]!.GetValue<int>().ShouldBe(0);
    }

    [Theory]
    [InlineData("""{"total": 0}""", "0 is less than the minimum of 1", "'minimum' in schema['properties']['total']")]
    [InlineData("""{"total": 8, "min_unit": 0}""", "0 is less than the minimum of 1", "'minimum' in schema['properties']['min_unit']")]
    [InlineData("""{"total": 2147483648}""", "2147483648 is greater than the maximum of 2147483647", "'maximum' in schema['properties']['total']")]
    [InlineData("""{"total": 8, "allocation_ratio": 3.40282e+39}""", "3.40282e+39 is greater than the maximum of 3.40282e+38",
        "'maximum' in schema['properties']['allocation_ratio']")]
    [InlineData("""{"total": "8"}""", "'8' is not of type 'integer'", "'type' in schema['properties']['total']")]
    public async Task PA22_FieldErrors_AreJsonschemasWords(string inventory, string message, string failed)
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync($"inv-words-{Guid.NewGuid():N}");
        var body = JsonNode.Parse(inventory)!.AsObject();
        body["resource_class"] = "DISK_GB";

        var refused = await client.PostAsync($"resource_providers/{cn}/inventories", body);

        refused.Status.ShouldBe(HttpStatusCode.BadRequest);
        refused.ErrorDetail.ShouldStartWith($"JSON does not validate: {message}");
        refused.ErrorDetail.ShouldContain($"Failed validating {failed}");
    }

    [Fact]
    public async Task PA22_CapacityError_NamesTheAction()
    {
        using var client = server.Client("1.25");
        var cn = await client.CreateProviderAsync($"inv-action-{Guid.NewGuid():N}");
        var tooReserved = new JsonObject { ["resource_class"] = "DISK_GB", ["total"] = 256, ["reserved"] = 512 };

        (await client.PostAsync($"resource_providers/{cn}/inventories", tooReserved)).ErrorDetail
            .ShouldStartWith($"Unable to create inventory for resource provider {cn}: Invalid inventory for 'DISK_GB'");
        await client.SetInventoryAsync(cn, ("DISK_GB", 1024));
        tooReserved.Remove("resource_class");
        tooReserved["resource_provider_generation"] = 1;
        (await client.PutAsync($"resource_providers/{cn}/inventories/DISK_GB", tooReserved)).ErrorDetail
            .ShouldStartWith($"Unable to update inventory for resource provider {cn}: Invalid inventory for 'DISK_GB'");
    }

    [Fact] // fuzzing finding: the capacity overflowed 64 bits, a 500 on the write and on every candidate query after it
    public async Task PA22_RatioNearTheMaximum_CapacityPast64Bits_IsPlacementsExactInteger()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync($"inv-huge-ratio-{Guid.NewGuid():N}");
        var stored = await client.PutAsync($"resource_providers/{cn}/inventories", new JsonObject
        {
            ["resource_provider_generation"] = 0,
            ["inventories"] = new JsonObject
            {
                ["VCPU"] = new JsonObject { ["total"] = 3, ["allocation_ratio"] = long.MaxValue },
                ["DISK_GB"] = new JsonObject { ["total"] = 5, ["reserved"] = 1, ["allocation_ratio"] = 3.4e38 },
            },
        });
        stored.Status.ShouldBe(HttpStatusCode.OK, stored.Text);

        var candidates = await client.GetAsync($"allocation_candidates?resources=VCPU:1,DISK_GB:1&in_tree={cn}");

        candidates.Status.ShouldBe(HttpStatusCode.OK, candidates.Text);
        // Placement's Python: int(3 * 9.223372036854775807e18) and int(4 * 3.4e38), exact
        candidates.Text.ShouldContain("\"VCPU\":{\"capacity\":27670116110564327424,");
        candidates.Text.ShouldContain("\"DISK_GB\":{\"capacity\":1359999999999999984495386344184927485952,");
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(null, (cn, "VCPU", 1000))))
            .Status.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact] // fuzzing finding: a number for the map of inventories was a 500
    public async Task PA24_PutAll_InventoriesNotAnObject_IsJsonschemasTypeError()
    {
        using var client = server.Client("1.22");
        var cn = await client.CreateProviderAsync($"inv-not-a-map-{Guid.NewGuid():N}");

        var refused = await client.PutAsync($"resource_providers/{cn}/inventories",
            new JsonObject { ["resource_provider_generation"] = 0, ["inventories"] = 2147483647 });

        refused.Status.ShouldBe(HttpStatusCode.BadRequest);
        refused.ErrorDetail.ShouldStartWith("JSON does not validate: 2147483647 is not of type 'object'");
    }

    [Fact]
    public async Task PA24_PutAll_SchemaBeforeGeneration_ThenUnknownClass()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync($"inv-order-{Guid.NewGuid():N}");

        var tooBig = await client.PutAsync($"resource_providers/{cn}/inventories", new JsonObject
        {
            ["resource_provider_generation"] = 99,
            ["inventories"] = new JsonObject { ["DISK_GB"] = new JsonObject { ["total"] = 2147483648 } },
        });
        tooBig.Status.ShouldBe(HttpStatusCode.BadRequest);
        tooBig.ErrorDetail.ShouldContain(
            "Failed validating 'maximum' in schema['properties']['inventories']['patternProperties']['^[A-Z0-9_]+$']['properties']['total']");

        var unknown = await client.PutAsync($"resource_providers/{cn}/inventories", new JsonObject
        {
            ["resource_provider_generation"] = 0,
            ["inventories"] = new JsonObject { ["HOUSE"] = new JsonObject { ["total"] = 253 } },
        });
        unknown.Status.ShouldBe(HttpStatusCode.BadRequest);
        unknown.ErrorDetail.ShouldBe($"Unknown resource class in inventory for resource provider {cn}: No such resource class HOUSE.");
    }

    [Fact]
    public async Task PA23_UnknownClass_Is400_ExistingClassPost_Is409ConcurrentUpdate()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("inv-post");
        (await client.PostAsync($"resource_providers/{cn}/inventories", new JsonObject { ["resource_class"] = "CUSTOM_NOPE", ["total"] = 1 }))
            .ErrorDetail.ShouldContain("No such resource class CUSTOM_NOPE");
        // differential finding: jsonschema's words, as for every other field
        (await client.PostAsync($"resource_providers/{cn}/inventories", new JsonObject { ["resource_class"] = "vcpu", ["total"] = 1 }))
            .ErrorDetail.ShouldStartWith("JSON does not validate: 'vcpu' does not match '^[A-Z0-9_]+$'");
        (await client.PostAsync($"resource_providers/{cn}/inventories", new JsonObject { ["resource_class"] = "VCPU", ["total"] = 1 }))
            .Status.ShouldBe(HttpStatusCode.Created);
        (await client.PostAsync($"resource_providers/{cn}/inventories", new JsonObject { ["resource_class"] = "VCPU", ["total"] = 1 }))
            .ErrorCode.ShouldBe("placement.concurrent_update");
    }

    [Fact] // example 12
    public async Task PA24_PA25_AllocatedClass_RemovalIs409()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("inv-inuse");
        await client.SetInventoryAsync(cn, ("VCPU", 8), ("MEMORY_MB", 1024));
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(null, (cn, "VCPU", 2))))
            .Status.ShouldBe(HttpStatusCode.NoContent);

        var one = await client.DeleteAsync($"resource_providers/{cn}/inventories/VCPU");
        one.ErrorCode.ShouldBe("placement.concurrent_update");
        one.ErrorDetail.ShouldContain($"Inventory for 'VCPU' on resource provider '{cn}' in use");
        (await client.DeleteAsync($"resource_providers/{cn}/inventories")).ErrorCode.ShouldBe("placement.inventory.inuse");
        var generation = (await client.GetAsync($"resource_providers/{cn}")).Json["generation"]!.GetValue<int>();
        var dropVcpu = await client.PutAsync($"resource_providers/{cn}/inventories", new JsonObject
        {
            ["resource_provider_generation"] = generation,
            ["inventories"] = new JsonObject { ["MEMORY_MB"] = new JsonObject { ["total"] = 1024 } },
        });
        dropVcpu.ErrorCode.ShouldBe("placement.inventory.inuse");
        (await client.DeleteAsync($"resource_providers/{cn}/inventories/MEMORY_MB")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync($"resource_providers/{cn}")).Json["generation"]!.GetValue<int>().ShouldBe(generation + 1);
    }

    [Fact]
    public async Task PA24_RemovingSeveralAllocatedClasses_NamesThemAllInClassOrder()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync($"inv-inuse-all-{Guid.NewGuid():N}");
        await client.SetInventoryAsync(cn, ("DISK_GB", 100), ("MEMORY_MB", 1024), ("VCPU", 8));
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}",
            PlacementSetup.Allocation(null, (cn, "DISK_GB", 10), (cn, "VCPU", 2)))).Status.ShouldBe(HttpStatusCode.NoContent);

        var refused = await client.DeleteAsync($"resource_providers/{cn}/inventories");

        refused.ErrorCode.ShouldBe("placement.inventory.inuse");
        refused.ErrorDetail.ShouldBe($"Inventory for 'VCPU, DISK_GB' on resource provider '{cn}' in use.");
    }

    [Fact] // found by differential testing against Placement 8.0.0 (session 9): class id order, custom ones as created
    public async Task PA24_RemovingAllocatedCustomClasses_NamesThemInCreationOrder()
    {
        using var client = server.Client();
        await client.CreateResourceClassAsync("CUSTOM_INUSE_ZZ_CREATED_FIRST");
        await client.CreateResourceClassAsync("CUSTOM_INUSE_AA_CREATED_SECOND");
        var cn = await client.CreateProviderAsync($"inv-inuse-custom-{Guid.NewGuid():N}");
        await client.SetInventoryAsync(cn, ("CUSTOM_INUSE_AA_CREATED_SECOND", 4), ("CUSTOM_INUSE_ZZ_CREATED_FIRST", 4), ("VCPU", 8));
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(null,
            (cn, "CUSTOM_INUSE_AA_CREATED_SECOND", 1), (cn, "CUSTOM_INUSE_ZZ_CREATED_FIRST", 1), (cn, "VCPU", 2))))
            .Status.ShouldBe(HttpStatusCode.NoContent);

        var refused = await client.DeleteAsync($"resource_providers/{cn}/inventories");

        refused.ErrorDetail.ShouldBe(
            $"Inventory for 'VCPU, CUSTOM_INUSE_ZZ_CREATED_FIRST, CUSTOM_INUSE_AA_CREATED_SECOND' on resource provider '{cn}' in use.");
    }

    [Fact]
    public async Task PA25_PutOne_NeedsExistingRecordAndGeneration()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("inv-one");
        (await client.PutAsync($"resource_providers/{cn}/inventories/VCPU", new JsonObject { ["resource_provider_generation"] = 0, ["total"] = 4 }))
            .ErrorDetail.ShouldContain("No inventory record with resource class");
        var generation = await client.SetInventoryAsync(cn, ("VCPU", 8));
        var updated = await client.PutAsync($"resource_providers/{cn}/inventories/VCPU",
            new JsonObject { ["resource_provider_generation"] = generation, ["total"] = 4 });
        updated.Json["total"]!.GetValue<int>().ShouldBe(4);
        updated.Json["resource_provider_generation"]!.GetValue<int>().ShouldBe(generation + 1);
        (await client.GetAsync($"resource_providers/{cn}/inventories/VCPU")).Json["total"]!.GetValue<int>().ShouldBe(4);
        (await client.GetAsync($"resource_providers/{cn}/inventories/DISK_GB")).Status.ShouldBe(HttpStatusCode.NotFound);
    }
}

using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>08 §4: providers, nesting, names, deletion.</summary>
public sealed class ResourceProviderTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    [Fact] // example 2
    public async Task PA17_CreateAtLatest_Is200WithBody()
    {
        using var client = server.Client();
        var uuid = PlacementSetup.NewUuid();
        var response = await client.PostAsync("resource_providers", new JsonObject { ["name"] = "ex2", ["uuid"] = uuid });
        response.Status.ShouldBe(HttpStatusCode.OK);
        response.Json["generation"]!.GetValue<int>().ShouldBe(0);
        response.Json["root_provider_uuid"]!.GetValue<string>().ShouldBe(uuid);
        response.Json["parent_provider_uuid"].ShouldBeNull();
        response.Headers.Location.ShouldBe(new Uri(server.BaseAddress, $"resource_providers/{uuid}"));
    }

    [Fact] // example 3
    public async Task PA17_CreateAt119_Is201WithoutBody()
    {
        using var client = server.Client("1.19");
        var response = await client.PostAsync("resource_providers", new JsonObject { ["name"] = "ex3" });
        response.Status.ShouldBe(HttpStatusCode.Created);
        response.Text.ShouldBeEmpty();
        response.Headers.Location.ShouldNotBeNull();
    }

    [Fact] // differential finding: Placement lists providers by its integer id, i.e. in creation order
    public async Task PA20_ListIsInCreationOrder_RenameKeepsThePlace()
    {
        using var client = server.Client();
        string[] created = [await client.CreateProviderAsync("order-z"), await client.CreateProviderAsync("order-a"),
            await client.CreateProviderAsync("order-m")];
        (await client.PutAsync($"resource_providers/{created[0]}", new JsonObject { ["name"] = "order-b" })).Status.ShouldBe(HttpStatusCode.OK);
        for (var index = 0; index < created.Length; index++)
        {
            await client.SetInventoryAsync(created[index], ("DISK_GB", 10 + index));
        }

        foreach (var query in new[] { "resource_providers", "resource_providers?resources=DISK_GB:10" })
        {
            var listed = (await client.GetAsync(query)).Json["resource_providers"]!.AsArray().Select(p => p!["uuid"]!.GetValue<string>());
            listed.Where(created.Contains).ShouldBe(created, query);
        }
    }

    [Fact] // example 4
    public async Task PA18_DuplicateName_Is409DuplicateName()
    {
        using var client = server.Client();
        await client.CreateProviderAsync("ex4");
        var response = await client.PostAsync("resource_providers", new JsonObject { ["name"] = "ex4" });
        response.Status.ShouldBe(HttpStatusCode.Conflict);
        response.ErrorCode.ShouldBe("placement.duplicate_name");
        response.ErrorDetail.ShouldContain("Conflicting resource provider name: ex4 already exists.");
    }

    [Fact] // differential finding: single-valued filters keep their last value when repeated, as Placement reads them
    public async Task PA20_RepeatedFilterLastValueWins_EmptyNameFiltersNothing()
    {
        using var client = server.Client();
        var root = await client.CreateProviderAsync("repeat-root");
        var other = await client.CreateProviderAsync("repeat-other");
        string[] Uuids(PlacementResponse response) =>
            [.. response.Json["resource_providers"]!.AsArray().Select(p => p!["uuid"]!.GetValue<string>())];
        Uuids(await client.GetAsync($"resource_providers?name=repeat-other&name=repeat-root")).ShouldBe([root]);
        Uuids(await client.GetAsync($"resource_providers?name=&uuid={other}")).ShouldBe([other]);
        Uuids(await client.GetAsync($"resource_providers?uuid={other}&uuid={root}")).ShouldBe([root]);
        Uuids(await client.GetAsync($"resource_providers?in_tree=abc&in_tree={other}")).ShouldBe([other]);
        var bad = await client.GetAsync($"resource_providers?uuid={root}&uuid=abc");
        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        bad.ErrorDetail.ShouldContain("'abc' is not a 'uuid'");
    }

    [Fact] // differential findings: PUT's schema has no minimum name length; the parent is checked before the name
    public async Task PA19_PutEmptyName_IsAccepted_LoopIsFoundBeforeANameClash()
    {
        using var client = server.Client("1.19");
        var taken = await client.CreateProviderAsync("put-taken");
        var rp = await client.CreateProviderAsync("put-self");
        var loop = await client.PutAsync($"resource_providers/{rp}", new JsonObject { ["name"] = "put-taken", ["parent_provider_uuid"] = rp });
        loop.Status.ShouldBe(HttpStatusCode.BadRequest);
        loop.ErrorDetail.ShouldContain($"Unable to save resource provider {rp}: Object action update failed because: creating loop");
        var clash = await client.PutAsync($"resource_providers/{rp}", new JsonObject { ["name"] = "put-taken" });
        clash.Status.ShouldBe(HttpStatusCode.Conflict);
        clash.ErrorDetail.ShouldContain("Conflicting resource provider put-taken already exists.");
        var empty = await client.PutAsync($"resource_providers/{rp}", new JsonObject { ["name"] = "" });
        empty.Status.ShouldBe(HttpStatusCode.OK);
        empty.Json["name"]!.GetValue<string>().ShouldBeEmpty();
        var created = await client.PostAsync("resource_providers", new JsonObject { ["name"] = "" });
        created.Status.ShouldBe(HttpStatusCode.BadRequest);
        created.ErrorDetail.ShouldContain("Object action create failed because: name is required.");
        taken.ShouldNotBe(rp);
    }

    [Fact] // differential finding: Placement stops at the first filter nothing matches, before validating later ones
    public async Task PA20_FilterMatchingNothing_AnswersEmptyBeforeLaterFiltersAreValidated()
    {
        using var client = server.Client();
        await client.CreateTraitAsync("CUSTOM_LAZY_UNUSED");
        await client.CreateTraitAsync("CUSTOM_LAZY_USED");
        var rp = await client.CreateProviderAsync("lazy-filters");
        await client.SetTraitsAsync(rp, "CUSTOM_LAZY_USED");
        (await client.GetAsync("resource_providers?required=CUSTOM_LAZY_UNUSED&required=!CUSTOM_LAZY_NOPE"))
            .Json["resource_providers"]!.AsArray().ShouldBeEmpty();
        (await client.GetAsync($"resource_providers?in_tree={PlacementSetup.NewUuid()}&resources=CUSTOM_LAZY_NOPE:1"))
            .Json["resource_providers"]!.AsArray().ShouldBeEmpty();
        (await client.GetAsync($"resource_providers?member_of={PlacementSetup.NewUuid()}&resources=CUSTOM_LAZY_NOPE:1"))
            .Json["resource_providers"]!.AsArray().ShouldBeEmpty();
        var forbidden = await client.GetAsync("resource_providers?required=CUSTOM_LAZY_USED&required=!CUSTOM_LAZY_NOPE");
        forbidden.Status.ShouldBe(HttpStatusCode.BadRequest);
        forbidden.ErrorDetail.ShouldContain("Invalid trait(s) in \"required\" parameter: No such trait(s): CUSTOM_LAZY_NOPE.");
        (await client.GetAsync("resource_providers?required=CUSTOM_LAZY_USED&resources=CUSTOM_LAZY_NOPE:1"))
            .Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact] // found by differential testing against Placement 8.0.0 (session 9)
    public async Task PA20_UnknownTraits_TheFirstIsNamed()
    {
        using var client = server.Client();
        (await client.GetAsync("resource_providers?required=CUSTOM_FIRST_NOPE,CUSTOM_ANOTHER_NOPE")).ErrorDetail
            .ShouldBe("Invalid trait(s) in \"required\" parameter: No such trait(s): CUSTOM_FIRST_NOPE.");
    }

    [Fact] // differential findings: jsonschema's words for strings and uuids; a missing key before an extra one
    public async Task PA17_BadBodies_InJsonSchemaWords()
    {
        using var client = server.Client();
        (await client.PostAsync("resource_providers", new JsonObject { ["name"] = new string('x', 201) }))
            .ErrorDetail.ShouldContain($"'{new string('x', 201)}' is too long");
        (await client.PostAsync("resource_providers", new JsonObject { ["name"] = 5 })).ErrorDetail.ShouldContain("5 is not of type 'string'");
        (await client.PostAsync("resource_providers", new JsonObject { ["name"] = "bad-uuid", ["uuid"] = "abc" }))
            .ErrorDetail.ShouldContain("'abc' is not a 'uuid'");
        (await client.PostAsync("resource_providers", new JsonObject { ["bogus"] = 1 })).ErrorDetail.ShouldContain("'name' is a required property");
        var missing = await client.GetAsync($"resource_providers/{PlacementSetup.NewUuid()}/allocations");
        missing.Status.ShouldBe(HttpStatusCode.NotFound);
        missing.ErrorDetail.ShouldStartWith("Resource provider '");
    }

    [Fact]
    public async Task PA6_DashlessUuid_IsNormalised()
    {
        using var client = server.Client();
        var uuid = Guid.NewGuid();
        var response = await client.PostAsync("resource_providers",
            new JsonObject { ["name"] = "dashless", ["uuid"] = uuid.ToString("N").ToUpperInvariant() });
        response.Json["uuid"]!.GetValue<string>().ShouldBe(uuid.ToString());
    }

    [Fact]
    public async Task PA18_ChildInheritsRoot_UnknownParentIs400()
    {
        using var client = server.Client();
        var root = await client.CreateProviderAsync("tree-root");
        var numa = await client.CreateProviderAsync("tree-numa", root);
        var pf = await client.CreateProviderAsync("tree-pf", numa);
        var shown = (await client.GetAsync($"resource_providers/{pf}")).Json;
        shown["root_provider_uuid"]!.GetValue<string>().ShouldBe(root);
        shown["parent_provider_uuid"]!.GetValue<string>().ShouldBe(numa);
        var orphan = await client.PostAsync("resource_providers",
            new JsonObject { ["name"] = "orphan", ["parent_provider_uuid"] = PlacementSetup.NewUuid() });
        orphan.Status.ShouldBe(HttpStatusCode.BadRequest);
        orphan.ErrorDetail.ShouldContain("parent provider UUID does not exist");
        var tree = (await client.GetAsync($"resource_providers?in_tree={numa}")).Json["resource_providers"]!.AsArray();
        tree.Count.ShouldBe(3);
    }

    [Fact]
    public async Task PA19_ReparentBelow137_Is400_LoopIs400_RenameKeepsGeneration()
    {
        using var client = server.Client();
        var a = await client.CreateProviderAsync("rp-a");
        var b = await client.CreateProviderAsync("rp-b");
        var child = await client.CreateProviderAsync("rp-child", a);
        using var old = server.Client("1.36");
        (await old.PutAsync($"resource_providers/{child}", new JsonObject { ["name"] = "rp-child", ["parent_provider_uuid"] = b }))
            .Status.ShouldBe(HttpStatusCode.BadRequest);
        (await client.PutAsync($"resource_providers/{a}", new JsonObject { ["name"] = "rp-a", ["parent_provider_uuid"] = child }))
            .ErrorDetail.ShouldContain("creating loop");
        var moved = await client.PutAsync($"resource_providers/{child}", new JsonObject { ["name"] = "rp-moved", ["parent_provider_uuid"] = b });
        moved.Status.ShouldBe(HttpStatusCode.OK);
        moved.Json["root_provider_uuid"]!.GetValue<string>().ShouldBe(b);
        moved.Json["name"]!.GetValue<string>().ShouldBe("rp-moved");
        moved.Json["generation"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact] // differential finding: Placement sends the row's update time as read before the PUT, and a child's row as
           // created has none (a root's is written twice at creation); a PUT that changes nothing leaves it so
    public async Task PA7_RenamingAChildAsCreated_SendsNoLastModified_OnceUpdatedItDoes()
    {
        using var client = server.Client();
        var root = await client.CreateProviderAsync("lm-root");
        var child = await client.CreateProviderAsync("lm-child", root);
        var other = await client.CreateProviderAsync("lm-other", root);
        await client.SetInventoryAsync(other, ("VCPU", 1));
        async Task<bool> RenameSendsLastModified(string uuid, string name)
        {
            var response = await client.PutAsync($"resource_providers/{uuid}", new JsonObject { ["name"] = name });
            response.Status.ShouldBe(HttpStatusCode.OK);
            response.Headers.CacheControl!.NoCache.ShouldBeTrue();
            return response.LastModified is not null;
        }

        (await RenameSendsLastModified(child, "lm-child")).ShouldBeFalse();
        (await RenameSendsLastModified(child, "lm-child-2")).ShouldBeFalse();
        (await RenameSendsLastModified(child, "lm-child-3")).ShouldBeTrue();
        (await RenameSendsLastModified(root, "lm-root-2")).ShouldBeTrue();
        (await RenameSendsLastModified(other, "lm-other-2")).ShouldBeTrue();
    }

    [Fact] // example 13
    public async Task PA21_DeleteParentOrAllocated_Is409_ElseGoneWithInventory()
    {
        using var client = server.Client();
        var root = await client.CreateProviderAsync("del-root");
        var pf = await client.CreateProviderAsync("del-pf", root);
        await client.SetInventoryAsync(pf, ("SRIOV_NET_VF", 8));
        var consumer = PlacementSetup.NewUuid();
        (await client.PutAsync($"allocations/{consumer}", PlacementSetup.Allocation(null, (pf, "SRIOV_NET_VF", 1))))
            .Status.ShouldBe(HttpStatusCode.NoContent);

        (await client.DeleteAsync($"resource_providers/{root}")).ErrorCode.ShouldBe("placement.resource_provider.cannot_delete_parent");
        (await client.DeleteAsync($"resource_providers/{pf}")).ErrorCode.ShouldBe("placement.resource_provider.inuse");
        (await client.DeleteAsync($"allocations/{consumer}")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.DeleteAsync($"resource_providers/{pf}")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync($"resource_providers/{pf}/inventories")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await client.DeleteAsync($"resource_providers/{pf}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PA20_ListFilters_ByNameResourcesAndRequired()
    {
        using var client = server.Client();
        var big = await client.CreateProviderAsync("filter-big");
        var small = await client.CreateProviderAsync("filter-small");
        await client.CreateResourceClassAsync("CUSTOM_FILTER_GPU");
        await client.SetInventoryAsync(big, ("CUSTOM_FILTER_GPU", 8));
        await client.SetInventoryAsync(small, ("CUSTOM_FILTER_GPU", 1));
        await client.SetTraitsAsync(small, "HW_CPU_X86_AVX2");
        await client.CreateTraitAsync("CUSTOM_FILTER_UNUSED");

        var named = (await client.GetAsync("resource_providers?name=filter-big")).Json["resource_providers"]!.AsArray();
        named.Single()!["uuid"]!.GetValue<string>().ShouldBe(big);
        var fitting = (await client.GetAsync("resource_providers?resources=CUSTOM_FILTER_GPU:4")).Json["resource_providers"]!.AsArray();
        fitting.Select(p => p!["uuid"]!.GetValue<string>()).ShouldBe([big]);
        var avx = (await client.GetAsync("resource_providers?required=HW_CPU_X86_AVX2")).Json["resource_providers"]!.AsArray();
        avx.Select(p => p!["uuid"]!.GetValue<string>()).ShouldBe([small]);
        (await client.GetAsync("resource_providers?required=CUSTOM_NOPE")).ErrorDetail.ShouldContain("No such trait(s)");
        (await client.GetAsync("resource_providers?bogus=1")).Status.ShouldBe(HttpStatusCode.BadRequest);

        // Placement checks required/forbidden conflicts only for allocation candidates: here nothing matches.
        var both = await client.GetAsync("resource_providers?required=HW_CPU_X86_AVX2,!HW_CPU_X86_AVX2");
        both.Status.ShouldBe(HttpStatusCode.OK);
        both.Json["resource_providers"]!.AsArray().ShouldBeEmpty();
    }
}

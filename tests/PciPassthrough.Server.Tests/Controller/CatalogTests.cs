using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Controller;

/// <summary>Flavors, images, ports and hosts: each endpoint's happy path, and refusals that name the field, the value
/// and what would be valid.</summary>
public sealed class CatalogTests : IAsyncLifetime
{
    private ControllerFixture _server = null!;
    private PlacementClient _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await ControllerFixture.StartAsync();
        _admin = _server.Client();
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Flavor_CreateShowListDelete()
    {
        var created = await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1", extraSpecs: new JsonObject { ["hw:cpu_policy"] = "dedicated" }));

        created.Status.ShouldBe(HttpStatusCode.Created, created.Text);
        created.Json["extra_specs"]!["pci_passthrough:alias"].Text().ShouldBe("a100:1");
        created.Json["swap"]!.GetValue<int>().ShouldBe(0);
        (await _admin.GetAsync("v1/flavors/gpu.1")).Json["vcpus"]!.GetValue<int>().ShouldBe(2);
        (await _admin.GetAsync("v1/flavors")).Json["flavors"]!.AsArray().Count.ShouldBe(1);
        (await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Conflict);
        (await _admin.DeleteAsync("v1/flavors/gpu.1")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await _admin.GetAsync("v1/flavors/gpu.1")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await _admin.DeleteAsync("v1/flavors/gpu.1")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"name": "f", "vcpus": 1, "ram": 512, "extra_specs": {"hw:cpu_policy": "fast"}}""", "extra_specs.hw:cpu_policy", "hw:cpu_policy")]
    [InlineData("""{"name": "f", "vcpus": 1, "ram": 512, "extra_specs": {"pci_passthrough:alias": "a100"}}""", "extra_specs.pci_passthrough:alias", "pci_passthrough:alias")]
    [InlineData("""{"name": "f", "vcpus": 1, "ram": 512, "extra_specs": {"hw:numa_nodes": 2}}""", "extra_specs.hw:numa_nodes", "must be a string")]
    [InlineData("""{"name": "f", "ram": 512}""", "vcpus", "at least 1")]
    [InlineData("""{"name": "f", "vcpus": "two", "ram": 512}""", "vcpus", "\"two\"")]
    [InlineData("""{"name": "", "vcpus": 1, "ram": 512}""", "name", "1 to 255")]
    [InlineData("""{"name": "f", "vcpus": 1, "ram": 512, "ramm": 1}""", "ramm", "valid keys")]
    public async Task Flavor_Invalid_Is400NamingTheField(string body, string field, string said)
    {
        var refused = await _admin.PostAsync("v1/flavors", JsonNode.Parse(body));

        refused.Status.ShouldBe(HttpStatusCode.BadRequest, refused.Text);
        refused.Json["error"]!["field"].Text().ShouldBe(field);
        refused.ErrorMessage().ShouldContain(said);
        (await _admin.GetAsync("v1/flavors")).Json["flavors"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Body_NotJson_Is415Or400()
    {
        using var text = new StringContent("name=f");
        var form = await _admin.Http.PostAsync("v1/flavors", text, TestContext.Current.CancellationToken);
        using var broken = new StringContent("{", System.Text.Encoding.UTF8, "application/json");
        var malformed = await _admin.Http.PostAsync("v1/flavors", broken, TestContext.Current.CancellationToken);

        form.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await _admin.GetAsync("v1/nothing-here")).ErrorCode().ShouldBe("not_found");
    }

    /// <summary>Found by fuzzing: each was a 500 (InvalidOperationException reading the string, ArgumentException
    /// copying a host report with the key twice).</summary>
    [Theory]
    [InlineData("v1/flavors", "7B226E616D65223A2022C3227D", "body.name is not valid text")] // {"name": "<C3>"}: not UTF-8
    [InlineData("v1/flavors", "7B226E616D65223A20225C7564383030227D", "body.name is not valid text")] // {"name": "\ud800"}
    [InlineData("v1/flavors", "7B225C7564383030223A20317D", "a key of body is not valid text")] // {"\ud800": 1}
    [InlineData("v1/images", "7B226E616D65223A202261222C20226E616D65223A202262227D", "the body is not valid JSON: Duplicate property 'name'")] // {"name": "a","name":"b"}
    public async Task Body_UnreadableTextOrARepeatedKey_Is400NamingWhere(string path, string hex, string message)
    {
        using var content = new ByteArrayContent(Convert.FromHexString(hex));
        content.Headers.ContentType = new("application/json");
        var sent = await _admin.Http.PostAsync(path, content, TestContext.Current.CancellationToken);
        var answer = JsonNode.Parse(await sent.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        sent.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        answer["error"]!["message"]!.GetValue<string>().ShouldStartWith(message);
    }

    [Fact]
    public async Task Image_CreateShowDelete_PropertiesKeepTheirType()
    {
        var created = await _admin.PostAsync("v1/images", new JsonObject
        {
            ["name"] = "img",
            ["properties"] = new JsonObject { ["hw_numa_nodes"] = 1, ["hw_viommu_model"] = "intel", ["x"] = true },
        });

        created.Status.ShouldBe(HttpStatusCode.Created, created.Text);
        var shown = (await _admin.GetAsync("v1/images/img")).Json["properties"]!;
        shown["hw_numa_nodes"]!.GetValue<int>().ShouldBe(1);
        shown["x"]!.GetValue<bool>().ShouldBeTrue();
        var refused = await _admin.PostAsync("v1/images", new JsonObject { ["name"] = "bad", ["properties"] = new JsonObject { ["p"] = new JsonArray() } });
        refused.Status.ShouldBe(HttpStatusCode.BadRequest);
        refused.Json["error"]!["field"].Text().ShouldBe("properties.p");
        (await _admin.DeleteAsync("v1/images/img")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await _admin.GetAsync("v1/images")).Json["images"]!.AsArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"name": "p", "vnic_type": "sriov"}""", "vnic_type", "direct-physical")]
    [InlineData("""{"name": "p", "network_type": "ethernet"}""", "network_type", "vxlan")]
    [InlineData("""{"name": "p", "numa_affinity_policy": "strict"}""", "numa_affinity_policy", "preferred")]
    [InlineData("""{"name": "p", "trusted": "yes"}""", "trusted", "true or false")]
    public async Task Port_Invalid_Is400ListingValidValues(string body, string field, string said)
    {
        var refused = await _admin.PostAsync("v1/ports", JsonNode.Parse(body));

        refused.Status.ShouldBe(HttpStatusCode.BadRequest, refused.Text);
        refused.Json["error"]!["field"].Text().ShouldBe(field);
        refused.ErrorMessage().ShouldContain(said);
        (await _admin.GetAsync("v1/ports")).Json["ports"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Port_CreateShowListDelete()
    {
        using var member = _server.Client("demo");
        var created = await member.PostAsync("v1/ports", new JsonObject
        {
            ["name"] = "p",
            ["vnic_type"] = "direct",
            ["physical_network"] = "physnet1",
            ["trusted"] = true,
        });

        created.Status.ShouldBe(HttpStatusCode.Created, created.Text);
        var id = created.Json["id"].Text();
        Guid.TryParse(id, out _).ShouldBeTrue();
        created.Json["project"].Text().ShouldBe("demo");
        created.Json["server"].ShouldBeNull();
        (await member.GetAsync($"v1/ports/{id}")).Json["trusted"]!.GetValue<bool>().ShouldBeTrue();
        (await member.GetAsync("v1/ports")).Json["ports"]!.AsArray().Count.ShouldBe(1);
        (await member.DeleteAsync($"v1/ports/{id}")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await member.GetAsync("v1/ports")).Json["ports"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Host_Put_ShowsDevicesCellsAndPlacement()
    {
        var put = await _admin.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host(gpus: 2, vfs: 2));

        put.Status.ShouldBe(HttpStatusCode.OK, put.Text);
        put.Json["started"]!.GetValue<bool>().ShouldBeTrue();
        put.Json["state"].Text().ShouldBe("up");
        put.Json["device_counts"]!["total"]!.GetValue<int>().ShouldBe(4);
        put.Json["device_counts"]!["available"]!.GetValue<int>().ShouldBe(4);
        put.Json["devices"]!.AsArray().Select(d => d!["address"].Text()).ShouldBe(["0000:3b:00.0", "0000:3c:00.0", "0000:81:02.0", "0000:81:02.1"], ignoreOrder: true);
        put.Json["numa_cells"]!.AsArray().Count.ShouldBe(2);
        var listed = (await _admin.GetAsync("v1/hosts")).Json["hosts"]!.AsArray().ShouldHaveSingleItem()!;
        listed["devices"]!["total"]!.GetValue<int>().ShouldBe(4);
        listed["servers"]!.GetValue<int>().ShouldBe(0);
        (await _admin.PostAsync("v1/hosts/cmp-0/heartbeat", null)).Status.ShouldBe(HttpStatusCode.NoContent);
        (await _admin.PostAsync("v1/hosts/cmp-9/heartbeat", null)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await _admin.GetAsync("v1/hosts/cmp-9")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"numa_cells": []}""", "host.numa_cells")]
    [InlineData("""{"numa_cells": [{"id": 0, "memory_mb": "lots"}]}""", "host.numa_cells[0].memory_mb")]
    [InlineData("""{"name": "other", "numa_cells": [{"id": 0, "memory_mb": 1024}]}""", "name")]
    public async Task Host_Invalid_Is400NamingTheField(string body, string field)
    {
        var refused = await _admin.PutAsync("v1/hosts/cmp-0", JsonNode.Parse(body));

        refused.Status.ShouldBe(HttpStatusCode.BadRequest, refused.Text);
        refused.Json["error"]!["field"].Text().ShouldBe(field);
        (await _admin.GetAsync("v1/hosts")).Json["hosts"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Host_SilentForThreeIntervals_IsDownAndGetsNoServer_UntilItReportsAgain()
    {
        await using var server = await ControllerFixture.StartAsync(heartbeat: TimeSpan.FromSeconds(2));
        using var admin = server.Client();
        (await admin.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host())).Status.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);

        await Task.Delay(TimeSpan.FromSeconds(6.5), TestContext.Current.CancellationToken);

        (await admin.GetAsync("v1/hosts")).Json["hosts"]![0]!["state"].Text().ShouldBe("down");
        var refused = await admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm", ["flavor"] = "gpu.1" });
        refused.Status.ShouldBe(HttpStatusCode.Conflict, refused.Text);
        refused.Json["error"]!["hosts"]![0]!["rejected_by"].Text().ShouldBe("host_down");
        (await admin.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host())).Json["state"].Text().ShouldBe("up");
        (await admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm", ["flavor"] = "gpu.1" })).Status.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Migrate_WithTheOnlyOtherFittingHostDown_Is409NamingItUnavailable_UntilItReportsAgain()
    {
        await using var server = await ControllerFixture.StartAsync(heartbeat: TimeSpan.FromSeconds(1));
        using var admin = server.Client();
        foreach (var host in new[] { "cmp-0", "cmp-1" })
        {
            (await admin.PutAsync($"v1/hosts/{host}", ControllerHosts.Host())).Status.ShouldBe(HttpStatusCode.OK);
        }

        (await admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);
        var id = (await admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm", ["flavor"] = "gpu.1" })).Json["id"].Text();
        await Task.Delay(TimeSpan.FromSeconds(3.5), TestContext.Current.CancellationToken);
        (await admin.PostAsync("v1/hosts/cmp-0/heartbeat", null)).Status.ShouldBe(HttpStatusCode.NoContent);

        var refused = await admin.PostAsync($"v1/servers/{id}/action", new JsonObject { ["migrate"] = new JsonObject() });

        refused.Status.ShouldBe(HttpStatusCode.Conflict, refused.Text);
        var hosts = refused.Json["error"]!["hosts"]!.AsArray();
        hosts.Select(h => (h!["host"].Text(), h["rejected_by"].Text())).ShouldBe([("cmp-0", "source_host"), ("cmp-1", "host_down")]);
        hosts[1]!["reasons"]![0].Text().ShouldContain("heartbeat");
        (await admin.GetAsync($"v1/servers/{id}")).Json["status"].Text().ShouldBe("ACTIVE");
        (await admin.PostAsync("v1/hosts/cmp-1/heartbeat", null)).Status.ShouldBe(HttpStatusCode.NoContent);
        var migrated = await admin.PostAsync($"v1/servers/{id}/action", new JsonObject { ["migrate"] = new JsonObject() });
        migrated.Status.ShouldBe(HttpStatusCode.Accepted, migrated.Text);
        migrated.Json["host"].Text().ShouldBe("cmp-1");
    }

    [Fact]
    public async Task Host_RestartedWithFewerDevices_ServersThatNoLongerFitAreInError()
    {
        (await _admin.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host(gpus: 2))).Status.ShouldBe(HttpStatusCode.OK);
        (await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);
        var first = (await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "a", ["flavor"] = "gpu.1" })).Json["id"].Text();
        var second = (await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "b", ["flavor"] = "gpu.1" })).Json["id"].Text();

        var restarted = await _admin.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host(gpus: 1));

        restarted.Status.ShouldBe(HttpStatusCode.OK, restarted.Text);
        restarted.Json["device_counts"]!["allocated"]!.GetValue<int>().ShouldBe(1);
        (await _admin.GetAsync($"v1/servers/{first}")).Addresses().ShouldBe(["0000:3b:00.0"]);
        var lost = (await _admin.GetAsync($"v1/servers/{second}")).Json;
        lost["status"].Text().ShouldBe("ERROR");
        lost["pci_devices"]!.AsArray().ShouldBeEmpty();
        (await _admin.DeleteAsync($"v1/servers/{second}")).Status.ShouldBe(HttpStatusCode.NoContent);
    }
}

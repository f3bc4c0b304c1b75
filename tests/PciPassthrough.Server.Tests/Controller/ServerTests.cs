using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using PciPassthrough.Testing.Libvirt;

namespace PciPassthrough.Server.Tests.Controller;

/// <summary>Issue 7 item 3: servers booted, shown, deleted, resized, migrated through the REST API, on the engine's
/// answers (the same as <c>pcictl simulate</c>'s).</summary>
public sealed class ServerTests : IAsyncLifetime
{
    private ControllerFixture _server = null!;
    private PlacementClient _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await ControllerFixture.StartAsync();
        _admin = _server.Client();
        foreach (var host in new[] { "cmp-0", "cmp-1" })
        {
            (await _admin.PutAsync($"v1/hosts/{host}", ControllerHosts.Host(gpus: 2, vfs: 2))).Status.ShouldBe(HttpStatusCode.OK);
        }

        (await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);
        (await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.2", count: 2))).Status.ShouldBe(HttpStatusCode.Created);
        (await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.3", count: 3))).Status.ShouldBe(HttpStatusCode.Created);
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Create_FlavorWithAlias_GetsDevicesOfTheAlias()
    {
        var created = await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm1", ["flavor"] = "gpu.1" });

        created.Status.ShouldBe(HttpStatusCode.Created, created.Text);
        var server = created.Json;
        server["status"].Text().ShouldBe("ACTIVE");
        server["host"].Text().ShouldBe("cmp-0");
        server["project"].Text().ShouldBe("admin");
        server["flavor"].Text().ShouldBe("gpu.1");
        var device = server["pci_devices"]!.AsArray().ShouldHaveSingleItem()!;
        device["vendor_id"].Text().ShouldBe(ControllerHosts.GpuVendor);
        device["alias"].Text().ShouldBe("a100");
        device["address"].Text().ShouldBe("0000:3b:00.0");
        server["migration"].ShouldBeNull();

        var shown = await _admin.GetAsync($"v1/servers/{server["id"].Text()}");
        shown.Status.ShouldBe(HttpStatusCode.OK);
        shown.Addresses().ShouldBe(["0000:3b:00.0"]);
        var host = await _admin.GetAsync("v1/hosts/cmp-0");
        host.Json["devices"]!.AsArray().Single(d => d!["address"].Text() == "0000:3b:00.0")!["instance"].Text()
            .ShouldBe(server["id"].Text());
    }

    [Fact]
    public async Task Create_TooBig_Is409NamingEveryHostWithItsReason()
    {
        var refused = await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "big", ["flavor"] = "gpu.3" });

        refused.Status.ShouldBe(HttpStatusCode.Conflict, refused.Text);
        refused.ErrorCode().ShouldBe("no_valid_host");
        var hosts = refused.Json["error"]!["hosts"]!.AsArray();
        hosts.Select(h => h!["host"].Text()).ShouldBe(["cmp-0", "cmp-1"]);
        hosts.ShouldAllBe(h => h!["rejected_by"]!.GetValue<string>() == "PciPassthroughFilter");
        hosts.ShouldAllBe(h => h!["reasons"]!.AsArray().Count > 0);
        refused.ErrorMessage().ShouldContain("cmp-0");
        (await _admin.GetAsync("v1/servers")).Json["servers"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_ApiRefusal_Is400NamingTheStage()
    {
        (await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("unknown-alias", alias: "nope"))).Status.ShouldBe(HttpStatusCode.Created);

        var refused = await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm", ["flavor"] = "unknown-alias" });

        refused.Status.ShouldBe(HttpStatusCode.BadRequest, refused.Text);
        refused.ErrorCode().ShouldBe("invalid_request");
        refused.Json["error"]!["stage"].Text().ShouldBe("pci_requests");
        refused.ErrorMessage().ShouldContain("nope");
    }

    [Theory]
    [InlineData("""{"name": "vm", "flavor": "missing"}""", "flavor")]
    [InlineData("""{"name": "vm", "flavor": "gpu.1", "image": "missing"}""", "image")]
    [InlineData("""{"flavor": "gpu.1"}""", "name")]
    [InlineData("""{"name": "vm", "flavor": "gpu.1", "ports": ["no-such-port"]}""", "ports[0]")]
    [InlineData("""{"name": "vm", "flavor": "gpu.1", "colour": "blue"}""", "colour")]
    public async Task Create_BadBody_Is400NamingTheField(string body, string field)
    {
        var refused = await _admin.PostAsync("v1/servers", JsonNode.Parse(body));

        refused.Status.ShouldBe(HttpStatusCode.BadRequest, refused.Text);
        refused.Json["error"]!["field"].Text().ShouldBe(field);
        (await _admin.GetAsync("v1/servers")).Json["servers"]!.AsArray().ShouldBeEmpty();
    }

    /// <summary>The simulator reads any integer numa_node (§2.7); the controller keeps sysfs node numbers, which its
    /// server view shows as ints, so a wider one is refused where it comes in, and nothing of the host is stored.</summary>
    [Fact]
    public async Task HostReport_NumaNodePastInt_Is400NamingTheDevice()
    {
        var host = ControllerHosts.Host(gpus: 2);
        host["pci_devices"]![1]!["numa_node"] = JsonNode.Parse("1099511627776");

        var refused = await _admin.PutAsync("v1/hosts/cmp-wide", host);

        refused.Status.ShouldBe(HttpStatusCode.BadRequest, refused.Text);
        refused.Json["error"]!["field"].Text().ShouldBe("pci_devices[1].numa_node");
        refused.Text.ShouldContain("1099511627776");
        (await _admin.GetAsync("v1/hosts/cmp-wide")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_FreesTheDevices()
    {
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var created = await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = $"vm{i}", ["flavor"] = "gpu.2" });
            created.Status.ShouldBe(HttpStatusCode.Created, created.Text);
            ids.Add(created.Json["id"].Text());
        }

        (await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "third", ["flavor"] = "gpu.1" })).Status
            .ShouldBe(HttpStatusCode.Conflict);

        (await _admin.DeleteAsync($"v1/servers/{ids[0]}")).Status.ShouldBe(HttpStatusCode.NoContent);

        (await _admin.GetAsync($"v1/servers/{ids[0]}")).Status.ShouldBe(HttpStatusCode.NotFound);
        var counts = (await _admin.GetAsync("v1/hosts")).Json["hosts"]!.AsArray();
        counts.Sum(h => h!["devices"]!["allocated"]!.GetValue<int>()).ShouldBe(2);
        var again = await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "third", ["flavor"] = "gpu.1" });
        again.Status.ShouldBe(HttpStatusCode.Created, again.Text);
        (await _admin.DeleteAsync($"v1/servers/{ids[0]}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Resize_ClaimsOnAnotherHost_ConfirmFreesTheSource()
    {
        var id = (await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm", ["flavor"] = "gpu.1" })).Json["id"].Text();

        var resized = await ActAsync(id, new JsonObject { ["resize"] = new JsonObject { ["flavor"] = "gpu.2" } });

        resized.Status.ShouldBe(HttpStatusCode.Accepted, resized.Text);
        resized.Json["status"].Text().ShouldBe("VERIFY_RESIZE");
        resized.Json["host"].Text().ShouldBe("cmp-1");
        resized.Json["flavor"].Text().ShouldBe("gpu.2");
        resized.Json["migration"]!["source_host"].Text().ShouldBe("cmp-0");
        resized.Json["migration"]!["dest_host"].Text().ShouldBe("cmp-1");
        resized.Addresses().Count.ShouldBe(2);
        (await AllocatedAsync()).ShouldBe(new Dictionary<string, int> { ["cmp-0"] = 1, ["cmp-1"] = 2 });
        (await ActAsync(id, new JsonObject { ["migrate"] = new JsonObject() })).Status.ShouldBe(HttpStatusCode.Conflict);

        var confirmed = await ActAsync(id, new JsonObject { ["confirm_resize"] = new JsonObject() });

        confirmed.Status.ShouldBe(HttpStatusCode.Accepted, confirmed.Text);
        confirmed.Json["status"].Text().ShouldBe("ACTIVE");
        confirmed.Json["migration"].ShouldBeNull();
        (await AllocatedAsync()).ShouldBe(new Dictionary<string, int> { ["cmp-0"] = 0, ["cmp-1"] = 2 });
        var again = await ActAsync(id, new JsonObject { ["confirm_resize"] = new JsonObject() });
        again.Status.ShouldBe(HttpStatusCode.Conflict);
        again.Json["error"]!["message"].Text().ShouldBe($"server {id} is ACTIVE: there is no resize or migration to confirm.");
    }

    [Fact]
    public async Task Resize_Revert_FreesTheDestination()
    {
        var id = (await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm", ["flavor"] = "gpu.1" })).Json["id"].Text();
        (await ActAsync(id, new JsonObject { ["resize"] = new JsonObject { ["flavor"] = "gpu.2" } })).Status.ShouldBe(HttpStatusCode.Accepted);

        var reverted = await ActAsync(id, new JsonObject { ["revert_resize"] = new JsonObject() });

        reverted.Status.ShouldBe(HttpStatusCode.Accepted, reverted.Text);
        reverted.Json["status"].Text().ShouldBe("ACTIVE");
        reverted.Json["host"].Text().ShouldBe("cmp-0");
        reverted.Json["flavor"].Text().ShouldBe("gpu.1");
        reverted.Addresses().ShouldBe(["0000:3b:00.0"]);
        (await AllocatedAsync()).ShouldBe(new Dictionary<string, int> { ["cmp-0"] = 1, ["cmp-1"] = 0 });
    }

    [Fact]
    public async Task Migrate_ToAnotherHost_409WhenNoOtherFits()
    {
        var first = (await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "a", ["flavor"] = "gpu.2" })).Json["id"].Text();

        var migrated = await ActAsync(first, new JsonObject { ["migrate"] = new JsonObject() });

        migrated.Status.ShouldBe(HttpStatusCode.Accepted, migrated.Text);
        migrated.Json["migration"]!["source_host"].Text().ShouldBe("cmp-0");
        migrated.Json["host"].Text().ShouldBe("cmp-1");
        migrated.Json["flavor"].Text().ShouldBe("gpu.2");
        migrated.Json["status"].Text().ShouldBe("VERIFY_RESIZE");
        (await ActAsync(first, new JsonObject { ["confirm_resize"] = new JsonObject() })).Status.ShouldBe(HttpStatusCode.Accepted);
        var second = (await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "b", ["flavor"] = "gpu.2" })).Json;
        second["host"].Text().ShouldBe("cmp-0");

        var refused = await ActAsync(second["id"].Text(), new JsonObject { ["migrate"] = new JsonObject() });

        refused.Status.ShouldBe(HttpStatusCode.Conflict, refused.Text);
        refused.ErrorCode().ShouldBe("no_valid_host");
        refused.Json["error"]!["hosts"]!.AsArray().Select(h => h!["rejected_by"].Text()).ShouldBe(["source_host", "PciPassthroughFilter"]);
        (await _admin.GetAsync($"v1/servers/{second["id"].Text()}")).Json["status"].Text().ShouldBe("ACTIVE");
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"migrate": {}, "confirm_resize": {}}""")]
    [InlineData("""{"reboot": {}}""")]
    [InlineData("""{"resize": {}}""")]
    [InlineData("""{"resize": {"flavor": "missing"}}""")]
    public async Task Action_Bad_Is400(string body)
    {
        var id = (await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm", ["flavor"] = "gpu.1" })).Json["id"].Text();

        var refused = await ActAsync(id, JsonNode.Parse(body)!);

        refused.Status.ShouldBe(HttpStatusCode.BadRequest, refused.Text);
        (await _admin.GetAsync($"v1/servers/{id}")).Json["status"].Text().ShouldBe("ACTIVE");
    }

    [Fact]
    public async Task LiveMigration_AliasWithoutLiveMigratable_NotEligible()
    {
        (await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("lm", alias: "migratable"))).Status.ShouldBe(HttpStatusCode.Created);
        var plain = (await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "plain", ["flavor"] = "gpu.1" })).Json["id"].Text();
        var nothing = await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("none", count: 0));
        nothing.Status.ShouldBe(HttpStatusCode.Created);
        var cpuOnly = (await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "cpu", ["flavor"] = "none" })).Json["id"].Text();

        var blocked = await _admin.GetAsync($"v1/servers/{plain}/live-migration");
        var free = await _admin.GetAsync($"v1/servers/{cpuOnly}/live-migration");

        blocked.Json["eligible"]!.GetValue<bool>().ShouldBeFalse();
        blocked.Json["reason"].Text().ShouldContain("a100");
        free.Json["eligible"]!.GetValue<bool>().ShouldBeTrue();
        free.Json["reason"].ShouldBeNull();
    }

    [Fact]
    public async Task DomainXml_AliasDeviceDirectPortAndViommu_ValidatesWithLibvirt()
    {
        var port = await _admin.PostAsync("v1/ports", new JsonObject
        {
            ["name"] = "p1",
            ["vnic_type"] = "direct",
            ["physical_network"] = ControllerHosts.Physnet,
        });
        port.Status.ShouldBe(HttpStatusCode.Created, port.Text);
        var portId = port.Json["id"].Text();
        var image = await _admin.PostAsync("v1/images", new JsonObject
        {
            ["name"] = "q35",
            ["properties"] = new JsonObject { ["hw_machine_type"] = "q35", ["hw_viommu_model"] = "intel" },
        });
        image.Status.ShouldBe(HttpStatusCode.Created, image.Text);
        var created = await _admin.PostAsync("v1/servers", new JsonObject
        {
            ["name"] = "vm",
            ["flavor"] = "gpu.1",
            ["image"] = "q35",
            ["ports"] = new JsonArray(portId),
        });
        created.Status.ShouldBe(HttpStatusCode.Created, created.Text);
        var id = created.Json["id"].Text();
        created.Json["pci_devices"]!.AsArray().Single(d => d!["port"]?.GetValue<string>() == portId)!["address"].Text()
            .ShouldStartWith("0000:81:02.");
        (await _admin.GetAsync($"v1/ports/{portId}")).Json["server"].Text().ShouldBe(id);

        var answer = await _admin.Http.GetAsync($"v1/servers/{id}/domain-xml", TestContext.Current.CancellationToken);

        answer.Content.Headers.ContentType!.MediaType.ShouldBe("application/xml");
        var devices = XElement.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        devices.Name.LocalName.ShouldBe("devices");
        devices.Elements("hostdev").Count().ShouldBe(1);
        devices.Elements("interface").Single().Attribute("type")!.Value.ShouldBe("hostdev");
        devices.Elements("iommu").Single().Attribute("model")!.Value.ShouldBe("intel");
        var (exitCode, output) = LibvirtDomain.Validate(LibvirtDomain.Wrap(devices.Elements(), []));
        exitCode.ShouldBe(0, output);
    }

    [Fact]
    public async Task LV10_TrustedDirectPort_ListedForTheHostsAgent_NotInTheXml()
    {
        var trustedHost = ControllerHosts.Host(gpus: 0, vfs: 2);
        trustedHost["device_spec"] = new JsonArray($$"""
            {"vendor_id": "{{ControllerHosts.NicVendor}}", "product_id": "{{ControllerHosts.VfProduct}}", "physical_network": "{{ControllerHosts.Physnet}}", "trusted": "true"}
            """);
        (await _admin.PutAsync("v1/hosts/cmp-trust", trustedHost)).Status.ShouldBe(HttpStatusCode.OK);
        (await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("plain", count: 0))).Status.ShouldBe(HttpStatusCode.Created);
        var portId = (await _admin.PostAsync("v1/ports", new JsonObject
        {
            ["name"] = "p1",
            ["vnic_type"] = "direct",
            ["physical_network"] = ControllerHosts.Physnet,
            ["trusted"] = true,
        })).Json["id"].Text();
        var created = await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm", ["flavor"] = "plain", ["ports"] = new JsonArray(portId) });
        created.Status.ShouldBe(HttpStatusCode.Created, created.Text);
        var id = created.Json["id"].Text();
        var vf = created.Json["pci_devices"]!.AsArray().ShouldHaveSingleItem()!["address"].Text();

        var listed = (await _admin.GetAsync("v1/hosts/cmp-trust")).Json["vf_trust"]!.AsArray().ShouldHaveSingleItem()!;
        var xml = await _admin.Http.GetStringAsync($"v1/servers/{id}/domain-xml", TestContext.Current.CancellationToken);

        created.Json["host"].Text().ShouldBe("cmp-trust");
        (listed["server"].Text(), listed["port"].Text(), listed["address"].Text()).ShouldBe((id, portId, vf));
        xml.ShouldNotContain("trust", Case.Insensitive);
        (await _admin.DeleteAsync($"v1/servers/{id}")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await _admin.GetAsync("v1/hosts/cmp-trust")).Json["vf_trust"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Ports_BoundToAServer_UntilItIsDeleted()
    {
        var portId = (await _admin.PostAsync("v1/ports", new JsonObject
        {
            ["name"] = "p1",
            ["vnic_type"] = "direct",
            ["physical_network"] = ControllerHosts.Physnet,
        })).Json["id"].Text();
        var id = (await _admin.PostAsync("v1/servers", new JsonObject
        {
            ["name"] = "vm",
            ["flavor"] = "gpu.1",
            ["ports"] = new JsonArray(portId),
        })).Json["id"].Text();

        var second = await _admin.PostAsync("v1/servers", new JsonObject
        {
            ["name"] = "vm2",
            ["flavor"] = "gpu.1",
            ["ports"] = new JsonArray(portId),
        });
        var deletePort = await _admin.DeleteAsync($"v1/ports/{portId}");

        second.Status.ShouldBe(HttpStatusCode.Conflict, second.Text);
        second.ErrorMessage().ShouldContain(id);
        deletePort.Status.ShouldBe(HttpStatusCode.Conflict, deletePort.Text);
        (await _admin.DeleteAsync($"v1/servers/{id}")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await _admin.GetAsync($"v1/ports/{portId}")).Json["server"].ShouldBeNull();
        (await _admin.DeleteAsync($"v1/ports/{portId}")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await _admin.GetAsync($"v1/ports/{portId}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    private Task<PlacementResponse> ActAsync(string id, JsonNode body) => _admin.PostAsync($"v1/servers/{id}/action", body);

    private async Task<Dictionary<string, int>> AllocatedAsync() =>
        (await _admin.GetAsync("v1/hosts")).Json["hosts"]!.AsArray()
        .ToDictionary(h => h!["name"].Text(), h => h!["devices"]!["allocated"]!.GetValue<int>());
}

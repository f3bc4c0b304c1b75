using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Controller;

/// <summary>The invariants no concurrency or crash may break: every device held by at most one server, every
/// allocated device held by a server the API lists, and exactly the fleet's capacity grantable.</summary>
public static class FleetConsistency
{
    /// <summary>Checks what <paramref name="admin"/> sees and returns the servers' ids.</summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(PlacementClient admin, int devicesPerServer)
    {
        var servers = (await admin.GetAsync("v1/servers")).Json["servers"]!.AsArray().Select(s => s!).ToList();
        var held = new Dictionary<(string Host, string Address), string>();
        foreach (var server in servers)
        {
            server["status"].Text().ShouldBe("ACTIVE");
            var devices = server["pci_devices"]!.AsArray();
            devices.Count.ShouldBe(devicesPerServer, server.ToJsonString());
            foreach (var device in devices)
            {
                var key = (server["host"].Text(), device!["address"].Text());
                held.TryAdd(key, server["id"].Text()).ShouldBeTrue($"{key} is held by {held.GetValueOrDefault(key)} and {server["id"].Text()}");
            }
        }

        foreach (var host in (await admin.GetAsync("v1/hosts")).Json["hosts"]!.AsArray())
        {
            var name = host!["name"].Text();
            var allocated = (await admin.GetAsync($"v1/hosts/{name}")).Json["devices"]!.AsArray()
                .Where(d => d!["status"].Text() == "allocated")
                .Select(d => $"{d!["address"].Text()} {d["instance"].Text()}");
            allocated.ShouldBe(held.Where(h => h.Key.Host == name).Select(h => $"{h.Key.Address} {h.Value}"), ignoreOrder: true,
                $"allocated devices of {name}");
        }

        return [.. servers.Select(s => s!["id"].Text())];
    }

    /// <summary>Boots one-device servers until the fleet is full: with <paramref name="live"/> servers placed, exactly
    /// <paramref name="capacity"/> in all must fit (a leaked claim would make fewer fit, a double booking more).</summary>
    public static async Task FillsExactlyAsync(PlacementClient admin, string flavor, int live, int capacity)
    {
        for (var i = live; i < capacity; i++)
        {
            var created = await admin.PostAsync("v1/servers", new JsonObject { ["name"] = $"fill-{i}", ["flavor"] = flavor });
            created.Status.ShouldBe(HttpStatusCode.Created, created.Text);
        }

        var full = await admin.PostAsync("v1/servers", new JsonObject { ["name"] = "one-too-many", ["flavor"] = flavor });
        full.Status.ShouldBe(HttpStatusCode.Conflict, full.Text);
    }
}

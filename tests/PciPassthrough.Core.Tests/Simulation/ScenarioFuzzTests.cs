using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Core.Simulation.Results;
using PciPassthrough.Testing.Scenarios;

namespace PciPassthrough.Core.Tests.Simulation;

/// <summary>
/// scenario-format SIM-2, SIM-3: a public scenario with values changed anywhere (device_spec and alias lines, extra
/// specs, image properties, host and device fields) is read as a scenario or refused as a format error, and a scenario
/// runs to a result: whatever Nova refuses as content is in the result, never an exception.
/// </summary>
public sealed class ScenarioFuzzTests
{
    private static readonly JsonNode[] _scenarios = [.. Directory.EnumerateFiles(Path.Combine(ScenarioFiles.Root, "public"), "*.json")
        .Where(file => !file.EndsWith(".expected.json", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .Select(file => JsonNode.Parse(File.ReadAllText(file))!)];

    /// <summary>Values Nova's parsers trip over: huge, negative, non-finite, empty, and the forms of a spec line.</summary>
    private static readonly Gen<JsonNode?> _value = Gen.OneOf(
        Gen.OneOf<string>("", " ", "-1", "0", "1", "2", "65", "-18446744073709551617", "99999999999999999999999", "1e308",
            "Infinity", "-Infinity", "NaN", "yes", "True", "none", "null", "a100", "a100:-18446744073709551617",
            "a100:99999999999999999999", "a100:1,a100:1", ":", "x:1:2", "type-VF", "type-PF", "type-PCI", "required",
            "socket", "preferred", "legacy", "dedicated", "shared", "large", "2048", "2MB", "0000:3b:00.0", "*:*:*.*",
            "0000:3b:00.[0-9]", "8086", "0x8086", "ffff", "physnet1", "{}", "[]", """{"vendor_id": "8086"}""",
            """{"name": "a100", "vendor_id": "10de", "product_id": "20b5", "numa_policy": "socket"}""",
            """[{"address": {"domain": "0000", "bus": "3b", "slot": "00", "function": "[0-7]"}}]""", "0-3,^2", "^0", "1-0")
            .Select(text => (JsonNode?)JsonValue.Create(text)),
        Gen.OneOf<JsonNode?>(null, JsonValue.Create(true), JsonValue.Create(false), JsonValue.Create(-1), JsonValue.Create(0),
            JsonValue.Create(1), JsonValue.Create(3), JsonValue.Create(long.MaxValue), JsonValue.Create(-9223372036854775808L),
            JsonValue.Create(1.5), JsonValue.Create(1e308), JsonValue.Create(-0.0)),
        Gen.OneOf<string>("[]", "{}", "[1, 2]", "[[0, 1]]", "18446744073709551616", "-18446744073709551617", "1e400")
            .Select(json => JsonNode.Parse(json)));

    [Fact]
    public void SIM3_AnyChangedPublicScenario_IsAFormatErrorOrRunsToAResult() =>
        Gen.Select(Gen.Int[0, _scenarios.Length - 1], Gen.Select(Gen.Int[0, 10_000], _value).Array[1, 4])
            .Sample((scenario, changes) =>
            {
                var json = _scenarios[scenario].DeepClone();
                foreach (var (at, value) in changes)
                {
                    Replace(json, at, value);
                }

                Scenario read;
                try
                {
                    read = ScenarioReader.Read(Encoding.UTF8.GetBytes(json.ToJsonString()));
                }
                catch (ScenarioFormatException)
                {
                    return;
                }

                ScenarioRunner.Run(read).ShouldNotBeNull();
                ScenarioRunner.Run(read, NovaRelease.Latest).ShouldNotBeNull();
            }, iter: 1000);

    /// <summary>A negative alias count raises the pool's count (Nova subtracts it); two of them took a pool past
    /// 2^63 and the sum of the host's counts overflowed. Nova places both; counts past 2^63 saturate here.</summary>
    [Fact]
    public void SIM3_NegativeAliasCountsPast64Bits_PlaceBothServers()
    {
        var json = _scenarios.Single(s => (string?)s["name"] == "alias-count-zero-and-negative").DeepClone();
        json["requests"] = new JsonArray(
            [.. new[] { "-9223372036854775809", "-1" }.Select((count, i) => (JsonNode)new JsonObject
            {
                ["name"] = $"s{i}",
                ["flavor"] = new JsonObject
                {
                    ["vcpus"] = 1,
                    ["memory_mb"] = 512,
                    ["extra_specs"] = new JsonObject { ["pci_passthrough:alias"] = $"gpu:{count}" },
                },
            })]);

        var result = ScenarioRunner.Run(ScenarioReader.Read(Encoding.UTF8.GetBytes(json.ToJsonString())));

        result.Requests.Cast<BootResult>().Select(boot => boot.ChosenHost).ShouldBe(["h1", "h1"]);
    }

    /// <summary>Replaces the value at position <paramref name="at"/> (modulo the number of values) of the tree.</summary>
    private static void Replace(JsonNode root, int at, JsonNode? value)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        if (nodes.Count == 0)
        {
            return;
        }

        var node = nodes[at % nodes.Count];
        switch (node.Parent)
        {
            case JsonObject parent:
                parent[node.GetPropertyName()] = value?.DeepClone();
                break;
            case JsonArray parent:
                parent[node.GetElementIndex()] = value?.DeepClone();
                break;
        }
    }

    private static void Collect(JsonNode? node, List<JsonNode> nodes)
    {
        if (node is null)
        {
            return;
        }

        if (node.Parent is not null)
        {
            nodes.Add(node);
        }

        foreach (var child in node switch
        {
            JsonObject o => o.Select(pair => pair.Value),
            JsonArray a => a,
            _ => [],
        })
        {
            Collect(child, nodes);
        }
    }
}

using System.Text.Json.Nodes;
using CsCheck;

namespace PciPassthrough.Server.Tests;

/// <summary>Mutations of valid JSON request bodies for the APIs' fuzz tests.</summary>
public static class JsonFuzz
{
    /// <summary>One change to a body's text: a value replaced (JSON-aware, anywhere in the tree), a key dropped or
    /// added, or the raw text cut or spliced (malformed JSON).</summary>
    public static Gen<Func<string, string>> Mutation(Gen<string> token)
    {
        var scalar = Gen.Frequency(
            (3, token.Select(s => (JsonNode?)JsonValue.Create(s))),
            (2, Gen.OneOf<JsonNode?>(null, true, false, 0, -1, 1, 2147483647, 2147483648L, long.MaxValue, 1.5, 1e308, -0.0)),
            (1, Gen.Const<JsonNode?>(new JsonArray())),
            (1, Gen.Const<JsonNode?>(new JsonObject())),
            (1, token.Array[0, 3].Select(items => (JsonNode?)new JsonArray([.. items.Select(i => (JsonNode)i)]))));
        var replace = Gen.Select(Gen.Int[0, 1000], scalar, (at, value) => (Func<string, string>)(json => Mutate(json, at, node =>
            node.Parent switch
            {
                JsonObject parent => parent[node.GetPropertyName()] = value?.DeepClone(),
                JsonArray parent => parent[node.GetElementIndex()] = value?.DeepClone(),
                _ => null,
            })));
        var drop = Gen.Int[0, 1000].Select(at => (Func<string, string>)(json => Mutate(json, at, node =>
        {
            if (node.Parent is JsonObject parent)
            {
                parent.Remove(node.GetPropertyName());
            }

            return null;
        })));
        var add = Gen.Select(Gen.Int[0, 1000], token, scalar, (at, key, value) => (Func<string, string>)(json => Mutate(json, at, node =>
        {
            if (node is JsonObject target && !target.ContainsKey(key))
            {
                target[key] = value?.DeepClone();
            }

            return null;
        })));
        var cut = Gen.Int[0, 1000].Select(at => (Func<string, string>)(json => json[..(at % (json.Length + 1))]));
        var splice = Gen.Select(Gen.Int[0, 1000], Gen.String[Gen.Char["{}[]\":,0-9.eE+ntrufalsé\\"], 1, 3],
            (at, text) => (Func<string, string>)(json => json.Insert(at % (json.Length + 1), text)));
        return Gen.Frequency((5, replace), (2, drop), (2, add), (1, cut), (1, splice));
    }

    /// <summary>Applies <paramref name="change"/> to the node at position <paramref name="at"/> of the document's nodes
    /// (in document order); text that is not JSON any more (after a cut or splice) is left as it is.</summary>
    private static string Mutate(string json, int at, Func<JsonNode, JsonNode?> change)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }

        if (root is null)
        {
            return json;
        }

        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        change(nodes[at % nodes.Count]);
        return root.ToJsonString();
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => [.. o.Select(p => p.Value)],
            JsonArray a => [.. a],
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            Collect(child, nodes);
        }
    }
}

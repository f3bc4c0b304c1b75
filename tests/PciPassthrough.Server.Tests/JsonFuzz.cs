using System.Net.Http.Headers;
using System.Text;
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

    /// <summary>A body as bytes that no JSON mutation makes: not UTF-8, a byte order mark, UTF-16, nesting or a number
    /// past any limit, repeated keys, lone surrogate escapes, comments, trailing text; or random bytes.</summary>
    public static Gen<byte[]> RawBody { get; } = Gen.Frequency(
        (3, Gen.OneOf<byte[]>(
            [], [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'], [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("{}")],
            [.. "{\"name\": \""u8, 0xC3, .. "\"}"u8], [0xFF, 0xFE, 0x00, 0x80], Encoding.UTF8.GetBytes(new string('[', 5000)),
            Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 2000))), Encoding.UTF8.GetBytes("1" + new string('0', 5000)),
            "null"u8.ToArray(), "[]"u8.ToArray(), "\"x\""u8.ToArray(), "true"u8.ToArray(), "-0"u8.ToArray(), "1e400"u8.ToArray(),
            "{\"name\": 1, \"name\": 2}"u8.ToArray(), "{} trailing"u8.ToArray(), "/* c */ {}"u8.ToArray(), "{\"\\ud800\": 1}"u8.ToArray(),
            "{\"name\": \"\\ud800\"}"u8.ToArray(), "{\"name\": \"\\u0000\"}"u8.ToArray(), "{,}"u8.ToArray())),
        (1, Gen.Byte.Array[0, 40]));

    /// <summary>The Content-Type sent with a raw body (empty: none).</summary>
    public static Gen<string> ContentType { get; } = Gen.OneOf<string>("application/json", "application/json; charset=utf-16",
        "application/json; charset=bogus", "text/plain", "application/x-www-form-urlencoded", "");

    /// <summary>A raw body with its Content-Type.</summary>
    public static ByteArrayContent Content(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = contentType.Length == 0 ? null : MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    /// <summary>One path segment as a client might send it, escaped or not (an id, a name, a class).</summary>
    public static Gen<string> Segment(Gen<string> token) => Gen.Frequency(
        (3, token.Select(Uri.EscapeDataString)),
        (2, Gen.OneOf("%00", "%2F", "%2e%2e", "..", "%ZZ", "%", "%C3", "%FF%FE", "a%20b", "CUSTOM_%E2%98%83", new string('a', 5000), "-", "_")),
        (1, Gen.String[Gen.Char["abcXYZ019_-.~%:@!$&'()*+,;="], 1, 12]));

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

using System.Text.Encodings.Web;
using System.Text.Json;

namespace PciPassthrough.Server.Controller;

/// <summary>The REST API's JSON: snake_case keys, for answers and for the snapshots servers keep.</summary>
public static class ControllerJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }
}

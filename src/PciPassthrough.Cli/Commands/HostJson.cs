using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PciPassthrough.Cli.Commands;

/// <summary>Writes one indented JSON object for the <c>host</c> verbs.</summary>
internal static class HostJson
{
    public static void Write(TextWriter output, Action<Utf8JsonWriter> writeProperties)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            writeProperties(json);
            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>A number or null; a scenario's <c>numa_node</c> may pass 64 bits.</summary>
    public static void WriteNumber(Utf8JsonWriter json, string name, Int128? value)
    {
        if (value is not { } number)
        {
            json.WriteNull(name);
        }
        else if (number >= long.MinValue && number <= long.MaxValue)
        {
            json.WriteNumber(name, (long)number);
        }
        else
        {
            json.WritePropertyName(name);
            json.WriteRawValue(number.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
        }
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// The <c>--format json</c> output, a stable shape for scripts (documented in README.md):
/// <c>{file, valid, options: {section: {key: {value, line}}}, errors: [{file, line, kind, message}],
/// warnings: [{file, line, message}]}</c>; <c>line</c> is null for an option left at Nova's default.
/// </summary>
internal static class ConfigCheckJson
{
    public static void Write(ConfigCheckReport report, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            json.WriteString("file", report.File);
            json.WriteBoolean("valid", report.IsValid);
            WriteOptions(json, report);
            json.WriteStartArray("errors");
            foreach (var error in report.Errors)
            {
                json.WriteStartObject();
                json.WriteString("file", error.Location.File);
                json.WriteNumber("line", error.Location.Line);
                json.WriteString("kind", error.Error.Kind);
                json.WriteString("message", error.Error.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("warnings");
            foreach (var warning in report.Warnings)
            {
                json.WriteStartObject();
                json.WriteString("file", warning.Location.File);
                json.WriteNumber("line", warning.Location.Line);
                json.WriteString("message", warning.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteOptions(Utf8JsonWriter json, ConfigCheckReport report)
    {
        json.WriteStartObject("options");
        foreach (var section in report.Settings.GroupBy(setting => setting.Section))
        {
            json.WriteStartObject(section.Key);
            foreach (var setting in section)
            {
                WriteSetting(json, setting);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteSetting(Utf8JsonWriter json, ConfigCheckReport.Setting setting)
    {
        json.WriteStartObject(setting.Key);
        json.WritePropertyName("value");
        switch (setting.Value)
        {
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case double number when double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case double number:
                json.WriteStringValue(double.IsNaN(number) ? "nan" : "inf");
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            default:
                json.WriteNullValue();
                break;
        }

        if (setting.Location is { } location)
        {
            json.WriteNumber("line", location.Line);
        }
        else
        {
            json.WriteNull("line");
        }

        json.WriteEndObject();
    }
}

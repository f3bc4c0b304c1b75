using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Requests;
using PciPassthrough.Host.Discovery;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// The <c>--format json</c> output, a stable shape for scripts (documented in README.md):
/// <c>{file, valid, options: {section: {key: {value, line}}}, device_specs: [{line, option, spec,
/// resolved_on_compute, selects?, devices?}], aliases: [{name, numa_policy, specs: [{line, spec}]}], host: null |
/// {root, unselected, unselected_devices, warnings}, errors: [{file, line, kind, message}], warnings: [{file, line,
/// message}]}</c>; an option's <c>line</c> is null when it is left at Nova's default; <c>selects</c> (addresses),
/// <c>devices</c> and <c>host</c> come with <c>--root</c>.
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
            WriteDeviceSpecs(json, report);
            WriteAliases(json, report);
            WriteHost(json, report);
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

    private static void WriteDeviceSpecs(Utf8JsonWriter json, ConfigCheckReport report)
    {
        json.WriteStartArray("device_specs");
        foreach (var spec in report.DeviceSpecs)
        {
            json.WriteStartObject();
            json.WriteNumber("line", spec.Entry.Location.Line);
            json.WriteString("option", spec.Entry.OptionName);
            json.WritePropertyName("spec");
            JsonNode.Parse(spec.Spec.ToJson())!.WriteTo(json);
            json.WriteBoolean("resolved_on_compute", spec.IsResolvedOnCompute);
            if (spec.Selected is { } selected)
            {
                json.WriteStartArray("selects");
                foreach (var device in selected)
                {
                    json.WriteStringValue(device.Record.Address);
                }

                json.WriteEndArray();
                WriteDevices(json, "devices", selected);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary><c>[{address, vendor_id, product_id, dev_type, numa_node, netdev}]</c>, plus <c>not_selected</c> (the
    /// reason) for functions no spec selects; absent values are null. Field names as in <c>host discover</c>.</summary>
    private static void WriteDevices(Utf8JsonWriter json, string name, IReadOnlyList<InventoryDevice> devices)
    {
        json.WriteStartArray(name);
        foreach (var device in devices)
        {
            var record = device.Record;
            json.WriteStartObject();
            json.WriteString("address", record.Address);
            json.WriteString("vendor_id", record.VendorId);
            json.WriteString("product_id", record.ProductId);
            json.WriteString("dev_type", record.DeviceType.ToNovaName());
            HostJson.WriteNumber(json, "numa_node", record.NumaNode);
            json.WriteString("netdev", record.Netdev);
            if (device.Spec is null)
            {
                json.WriteString("not_selected", device.NoMatchReason);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteHost(Utf8JsonWriter json, ConfigCheckReport report)
    {
        if (report.Host is not { } host)
        {
            json.WriteNull("host");
            return;
        }

        json.WriteStartObject("host");
        json.WriteString("root", report.Root);
        json.WriteNumber("unselected", host.Unselected.Count);
        WriteDevices(json, "unselected_devices", host.Unselected);
        json.WriteStartArray("warnings");
        foreach (var warning in host.Warnings)
        {
            json.WriteStringValue(warning.ToString());
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteAliases(Utf8JsonWriter json, ConfigCheckReport report)
    {
        json.WriteStartArray("aliases");
        foreach (var (alias, locations) in report.Aliases)
        {
            json.WriteStartObject();
            json.WriteString("name", alias.Name);
            json.WriteString("numa_policy", alias.NumaPolicy.ToNovaName());
            json.WriteStartArray("specs");
            foreach (var (spec, location) in alias.Specs.Zip(locations))
            {
                json.WriteStartObject();
                json.WriteNumber("line", location.Line);
                json.WriteStartObject("spec");
                foreach (var (key, value) in spec)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
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

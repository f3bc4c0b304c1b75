using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PciPassthrough.Core.Config;

/// <summary>
/// One parsed entry of <c>[pci] device_spec</c> (01 §1-7). Built by <see cref="DeviceSpecParser"/>; everything a
/// match needs is parsed once, here.
/// </summary>
public sealed class DeviceSpec
{
    public const string AnyId = "*";

    internal DeviceSpec(
        int index, int configIndex, string vendorId, string productId, string? devname, JsonNode? writtenDevname,
        DeviceSpecAddressMatcher? matcher, IReadOnlyList<KeyValuePair<string, JsonNode?>> tags, bool isRemoteManaged)
    {
        Index = index;
        ConfigIndex = configIndex;
        VendorId = vendorId;
        ProductId = productId;
        Devname = devname;
        WrittenDevname = writtenDevname;
        Matcher = matcher;
        Tags = tags;
        IsRemoteManaged = isRemoteManaged;
    }

    /// <summary>0-based position over all specs of the option (DS-5: the first match wins).</summary>
    public int Index { get; }

    /// <summary>Which option line the spec came from (a JSON list line yields several specs).</summary>
    public int ConfigIndex { get; }

    /// <summary><c>*</c> or 4 lower-case hex digits (DS-7, DS-9).</summary>
    public string VendorId { get; }

    /// <summary><c>*</c> or 4 lower-case hex digits (DS-7, DS-9).</summary>
    public string ProductId { get; }

    /// <summary>
    /// The network interface naming the device (DS-23..25), as written; null when absent. An empty devname is kept
    /// here but acts as absent (DS-24): such a spec has an <see cref="Address"/>.
    /// </summary>
    public string? Devname { get; }

    /// <summary>
    /// The devname's raw JSON value as written (Nova 26 reports <c>{"devname": 5}</c> as <c>5</c>, looking up the
    /// interface <c>"5"</c>); null when absent.
    /// </summary>
    public JsonNode? WrittenDevname { get; }

    /// <summary>The address; null for a <see cref="Devname"/> spec, which resolves its address at match time.</summary>
    public DeviceSpecAddress? Address => Matcher?.Address;

    /// <summary>
    /// Every other key in written order with its JSON value (DS-27..31). Under <see cref="NovaRelease.Latest"/>
    /// <c>managed</c>, <c>live_migratable</c>, <c>one_time_use</c> are normalised to <c>"true"</c>/<c>"false"</c> and
    /// other scalar values are stored as strings (DS-31, a deliberate deviation); under Zed they are kept raw.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode?>> Tags { get; }

    /// <summary>The <c>remote_managed</c> tag read leniently (DS-29): such a spec only matches devices with a serial.</summary>
    public bool IsRemoteManaged { get; }

    internal DeviceSpecAddressMatcher? Matcher { get; }

    internal bool HasDevname => !string.IsNullOrEmpty(Devname);

    public bool TryGetTag(string name, out JsonNode? value)
    {
        // indexed: the tracker asks for two tags of every device at every sync, and foreach would box an enumerator
        for (var i = 0; i < Tags.Count; i++)
        {
            if (Tags[i].Key == name)
            {
                value = Tags[i].Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>A tag as text: a JSON string as itself, another value as its JSON text; null when absent or null.</summary>
    public string? GetTagString(string name) => TryGetTag(name, out var value) && value is not null
        ? NovaJson.IsString(value, out var text) ? text : NovaJson.ToText(value)
        : null;

    /// <summary>
    /// The normalised spec as one JSON object (what <c>pcictl config check</c> prints). Parsing it again with the same
    /// options and host gives the same spec.
    /// </summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = NovaJson.CompactOptions.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString("vendor_id", VendorId);
            writer.WriteString("product_id", ProductId);
            if (Devname is not null)
            {
                writer.WriteString("devname", Devname);
            }

            if (Address is { Kind: DeviceSpecAddressKind.Glob } glob)
            {
                writer.WriteString("address", glob.ToString());
            }
            else if (Address is { } regex)
            {
                writer.WriteStartObject("address");
                writer.WriteString("domain", regex.Domain);
                writer.WriteString("bus", regex.Bus);
                writer.WriteString("slot", regex.Slot);
                writer.WriteString("function", regex.Function);
                writer.WriteEndObject();
            }

            foreach (var (key, value) in Tags)
            {
                writer.WritePropertyName(key);
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer, NovaJson.CompactOptions);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public override string ToString() => ToJson();
}

using System.Text;

namespace PciPassthrough.Testing.Sysfs;

/// <summary>Builds PCI VPD images: an identifier string, a VPD-R section ending in its <c>RV</c> checksum, an end tag.</summary>
public static class VpdImage
{
    private const byte IdentifierString = 0x82, ReadOnlySection = 0x90, ReadWriteSection = 0x91, EndTag = 0x78;

    /// <summary>A well-formed image with part number and serial number, as a ConnectX / BlueField card has.</summary>
    public static byte[] WithSerial(string serialNumber, string partNumber = "MBF2H516A-CEEOT") =>
        Build("BlueField-2 DPU", [("PN", partNumber), ("SN", serialNumber), ("V0", "PCIeGen4 x16")]);

    /// <summary>
    /// An image from the given VPD-R fields (values as raw text, so padding and odd characters can be tested).
    /// <paramref name="checksumDelta"/> ≠ 0 corrupts the checksum; <paramref name="readWriteFields"/> adds a VPD-W
    /// section; <paramref name="endTag"/> false leaves the end tag out.
    /// </summary>
    public static byte[] Build(
        string identifier,
        IEnumerable<(string Keyword, string Value)> readOnlyFields,
        byte checksumDelta = 0,
        IEnumerable<(string Keyword, string Value)>? readWriteFields = null,
        bool endTag = true)
    {
        var image = new List<byte>();
        AddLarge(image, IdentifierString, Encoding.Latin1.GetBytes(identifier));

        var fields = readOnlyFields.SelectMany(Field).ToList();
        image.Add(ReadOnlySection);
        AddLength(image, fields.Count + 4);
        image.AddRange(fields);
        image.AddRange("RV"u8.ToArray());
        image.Add(1);
        image.Add(unchecked((byte)(-image.Sum(b => b) + checksumDelta)));

        if (readWriteFields is not null)
        {
            AddLarge(image, ReadWriteSection, [.. readWriteFields.SelectMany(Field)]);
        }

        if (endTag)
        {
            image.Add(EndTag);
        }

        return [.. image];
    }

    private static IEnumerable<byte> Field((string Keyword, string Value) field)
    {
        var value = Encoding.Latin1.GetBytes(field.Value);
        return [.. Encoding.ASCII.GetBytes(field.Keyword), (byte)value.Length, .. value];
    }

    private static void AddLarge(List<byte> image, byte tag, byte[] data)
    {
        image.Add(tag);
        AddLength(image, data.Length);
        image.AddRange(data);
    }

    private static void AddLength(List<byte> image, int length)
    {
        image.Add((byte)(length & 0xFF));
        image.Add((byte)(length >> 8));
    }
}

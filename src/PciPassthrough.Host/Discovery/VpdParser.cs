namespace PciPassthrough.Host.Discovery;

/// <summary>
/// Reads the card serial number (keyword <c>SN</c> of the VPD-R section) from a PCI Vital Product Data image, the
/// binary the kernel exposes as sysfs <c>vpd</c> (PCI Local Bus 3.0 appendix I, PCIe 6.28).
/// </summary>
/// <remarks>
/// Accepts exactly what libvirt accepts, since libvirt is what reports the serial to Nova (02 LC-1): a malformed
/// image yields no serial at all. Well-formed means: resources up to an end tag, one VPD-R section whose last field
/// is <c>RV</c> with a checksum that makes every byte up to it sum to zero, and a VPD-W section (if any) that is
/// either filled to its end or ends with <c>RW</c>. Text values are cut at the first NUL and trimmed; a value with
/// non-printable characters is skipped.
/// </remarks>
public static class VpdParser
{
    private const int AddressSpace = 0x8000;
    private const byte LargeResource = 0x80, IdentifierString = 0x82, ReadOnlySection = 0x90, ReadWriteSection = 0x91;
    private const int EndTag = 0x0F, FieldHeader = 3;

    /// <summary>Parses <paramref name="vpd"/>; returns the serial (null when the image has no <c>SN</c>) or the problem.</summary>
    public static VpdParseResult Parse(ReadOnlySpan<byte> vpd)
    {
        string? serial = null;
        var hasReadOnly = false;
        var position = 0;
        while (position < vpd.Length && position < AddressSpace)
        {
            var tag = vpd[position];
            int dataStart, length;
            if ((tag & LargeResource) != 0)
            {
                if (position + FieldHeader > vpd.Length)
                {
                    return VpdParseResult.Malformed($"large resource 0x{tag:x2} at offset {position} has no length");
                }

                length = vpd[position + 1] | (vpd[position + 2] << 8);
                dataStart = position + FieldHeader;
            }
            else if (tag >> 3 == EndTag)
            {
                return hasReadOnly ? VpdParseResult.Found(serial) : VpdParseResult.Malformed("there is no VPD-R section");
            }
            else
            {
                length = tag & 0x7;
                dataStart = position + 1;
            }

            if (dataStart + length > vpd.Length)
            {
                return VpdParseResult.Malformed(
                    $"resource 0x{tag:x2} at offset {position} declares {length} bytes, past the end of the data");
            }

            var problem = tag switch
            {
                IdentifierString => IsPrintable(Text(vpd.Slice(dataStart, length)))
                    ? null : "the identifier string has non-printable characters",
                ReadOnlySection => ReadFields(vpd, dataStart, length, readOnly: true, ref serial),
                ReadWriteSection => ReadFields(vpd, dataStart, length, readOnly: false, ref serial),
                _ => null,
            };
            if (problem is not null)
            {
                return VpdParseResult.Malformed(problem);
            }

            hasReadOnly |= tag == ReadOnlySection;
            position = dataStart + length;
        }

        return VpdParseResult.Malformed("there is no end tag");
    }

    private static string? ReadFields(ReadOnlySpan<byte> vpd, int start, int length, bool readOnly, ref string? serial)
    {
        var section = readOnly ? "VPD-R" : "VPD-W";
        var end = start + length;
        var position = start;
        var closed = false;
        while (position + FieldHeader <= end)
        {
            var keyword = Text(vpd.Slice(position, 2));
            var fieldLength = vpd[position + 2];
            var data = position + FieldHeader;
            if (data + fieldLength > end)
            {
                return $"{section} field '{keyword}' declares {fieldLength} bytes, past the end of the section";
            }

            position = data + fieldLength;
            switch (keyword)
            {
                case "RV" when !readOnly:
                    return "the VPD-W section has a checksum field (RV)";
                case "RW" when readOnly:
                    return "the VPD-R section has a read-write area field (RW)";
                case "RV":
                    if (fieldLength == 0 || Sum(vpd[..(data + 1)]) != 0)
                    {
                        return "the VPD-R checksum (RV) does not match the data";
                    }

                    closed = true;
                    break;
                case "RW":
                    closed = true;
                    break;
                case "SN" when readOnly:
                    var text = Text(vpd.Slice(data, fieldLength)).Trim();
                    serial = IsPrintable(text) ? text : serial;
                    break;
            }

            if (closed)
            {
                break;
            }
        }

        return position >= end && (closed || !readOnly) ? null
            : readOnly ? "the VPD-R section does not end with its checksum field (RV)"
            : "the VPD-W section does not fill its declared length";
    }

    private static string Text(ReadOnlySpan<byte> bytes)
    {
        var nul = bytes.IndexOf((byte)0);
        return System.Text.Encoding.Latin1.GetString(nul < 0 ? bytes : bytes[..nul]);
    }

    private static bool IsPrintable(string text) => text.All(c => c is >= ' ' and <= '~');

    private static byte Sum(ReadOnlySpan<byte> bytes)
    {
        var sum = 0;
        foreach (var b in bytes)
        {
            sum += b;
        }

        return unchecked((byte)sum);
    }
}

using System.Globalization;
using System.Numerics;
using System.Xml.Linq;
using CsCheck;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Core.Tests.Libvirt;

/// <summary>07 LV-5's read-back of libvirt XML, fed any element: an address whose fields are the attributes' numbers,
/// or null when a field is missing, not hex or out of range; never an exception.</summary>
public sealed class HostdevXmlFuzzTests
{
    private static readonly (string Name, int Maximum)[] _fields =
    [
        ("domain", PciAddress.MaxDomain), ("bus", PciAddress.MaxBus), ("slot", PciAddress.MaxSlot), ("function", PciAddress.MaxFunction),
    ];

    private static readonly Gen<string?> _value = Gen.Frequency(
        (3, Gen.Select(Gen.OneOf("", "0x", "0X", "0x0", "00"), Gen.Int[0, 0x1FFFF], Gen.Bool,
            (prefix, number, upper) => prefix + number.ToString(upper ? "X" : "x", CultureInfo.InvariantCulture))),
        (2, Gen.OneOf<string?>(null, "", "0x", "-1", "-0x1", "0x-1", "+1", " 1", "1 ", "ffffffff", "0xffffffff", "100000000",
            "000000000000000001", "0x0x1", "1e1", "١", "0x１", "g", "0b1", "7\t")),
        (1, Gen.String[Gen.Char["0123456789abcdefABCDEFxX+- \t"], 0, 10].Select(s => (string?)s)));

    /// <summary>A hostdev or interface as libvirt might print it, or with its parts missing or misplaced.</summary>
    private static readonly Gen<XElement> _device = Gen.Select(
        Gen.OneOf("hostdev", "interface"), Gen.Int[0, 3], _value.Array[_fields.Length],
        (name, shape, values) =>
        {
            var address = new XElement("address", _fields.Zip(values)
                .Where(f => f.Second is not null).Select(f => new XAttribute(f.First.Name, f.Second!)));
            return shape switch
            {
                0 => new XElement(name, new XElement("source", address)),
                1 => new XElement(name, new XElement("source", new XAttribute("mode", "x"), new XElement("addr", address.Attributes()))),
                2 => new XElement(name, address),
                _ => new XElement(name, new XElement("source"), new XElement("source", address)),
            };
        });

    [Fact]
    public void LV5_ReadSourceAddress_AnyElement_TheAttributesNumbersOrNull() =>
        _device.Sample(device =>
        {
            var address = device.Element("source")?.Element("address");
            var numbers = _fields.Select(f => Number((string?)address?.Attribute(f.Name), f.Maximum)).ToList();

            var read = HostdevXml.ReadSourceAddress(device);

            if (numbers.Any(n => n is null))
            {
                read.ShouldBeNull(device.ToString());
            }
            else
            {
                read.ShouldNotBeNull(device.ToString());
                ((int)read.Value.Domain, (int)read.Value.Bus, (int)read.Value.Slot, (int)read.Value.Function)
                    .ShouldBe((numbers[0]!.Value, numbers[1]!.Value, numbers[2]!.Value, numbers[3]!.Value), device.ToString());
            }
        }, iter: 2000);

    [Fact]
    public void LV5_AnyAddressRendered_ReadsBack() =>
        Gen.Select(Gen.Int[0, PciAddress.MaxDomain], Gen.Int[0, PciAddress.MaxBus], Gen.Int[0, PciAddress.MaxSlot],
            Gen.Int[0, PciAddress.MaxFunction], Gen.Bool).Sample((domain, bus, slot, function, managed) =>
        {
            var address = PciAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"{domain:x4}:{bus:x2}:{slot:x2}.{function:x1}"));
            HostdevXml.ReadSourceAddress(HostdevXml.Render(address, managed)).ShouldBe(address);
        });

    /// <summary>The field's number the way LV-5 reads it (hex, an optional 0x), independently of the code under test.</summary>
    private static int? Number(string? text, int maximum)
    {
        var digits = text is ['0', 'x' or 'X', .. var rest] ? rest : text;
        return digits is { Length: > 0 } && digits.All(char.IsAsciiHexDigit)
            && BigInteger.Parse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) is var value
            && value <= maximum ? (int)value : null;
    }
}

using System.Text.Json;
using CsCheck;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Flavors;

namespace PciPassthrough.Core.Tests.Flavors;

/// <summary>Image properties are outside input (an image's metadata): any names and JSON values give typed properties
/// or a <see cref="PciException"/> naming the property, never another exception.</summary>
public sealed class ImagePropertiesFuzzTests
{
    private static readonly string[] _names =
    [
        .. ImagePropertyCatalog.Fields.Select(f => f.Key),
        .. ImagePropertyCatalog.LegacyNames.Select(n => n.Key),
        "hw_numa_cpus.0", "hw_numa_cpus.1", "hw_numa_mem.0", "hw_numa_mem.1", "vmware_adaptertype", "trait:CUSTOM_X",
    ];

    private static readonly Gen<string> _value = Gen.OneOf(
        Gen.Const("null"), Gen.Const("true"), Gen.Const("false"), Gen.Const("[]"), Gen.Const("{}"), Gen.Const("[1, \"a\"]"),
        Gen.Int.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.OneOf("1e400", "-0.0", "2.5", "18446744073709551616", "-9223372036854775809"),
        Gen.OneOf("0-3", "0,^1", "1-0", "^", "", "yes", "required", "ide", "virtio", "intel", "auto", "-1", "4096", "2MB", "legacy")
            .Select(text => JsonSerializer.Serialize(text)),
        Gen.String.Select(text => JsonSerializer.Serialize(text)));

    [Fact]
    public void AnyProperties_GiveTypedPropertiesOrAPciException()
    {
        var (parsed, refused) = (0, 0);
        Gen.Select(Gen.OneOf(_names), _value).Array[0, 6].Sample(pairs =>
        {
            var properties = pairs.DistinctBy(p => p.Item1).ToDictionary(p => p.Item1, p => JsonDocument.Parse(p.Item2).RootElement.Clone());
            try
            {
                ImageProperties.Parse(properties);
                Interlocked.Increment(ref parsed);
            }
            catch (PciException e)
            {
                e.Message.ShouldNotBeNullOrWhiteSpace();
                Interlocked.Increment(ref refused);
            }
        }, iter: 20_000);

        // both outcomes are reached, so the values do get past the names into the typing
        parsed.ShouldBeGreaterThan(1_000);
        refused.ShouldBeGreaterThan(1_000);
    }
}

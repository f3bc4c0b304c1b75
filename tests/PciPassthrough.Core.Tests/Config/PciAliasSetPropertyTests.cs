using System.Text.Json.Nodes;
using CsCheck;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Tests.Config;

public sealed class PciAliasSetPropertyTests
{
    private static readonly Gen<JsonNode?> _value = Gen.Frequency(
        (8, Gen.OneOf("a1", " a1 ", "", "8086", "154D", "0x8086", "type-VF", "type-PF", "type-PCI", "vdpa", "legacy",
            "required", "socket", "pci", "usb", "YES", "maybe", "CUSTOM_X", "a,b").Select(s => (JsonNode?)JsonValue.Create(s))),
        (1, Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i))),
        (1, Gen.Const((JsonNode?)null)));

    private static readonly Gen<string> _line = Gen.Frequency(
        (6, Gen.Select(Gen.OneOf("name", "vendor_id", "product_id", "device_type", "numa_policy", "capability_type",
                "resource_class", "traits", "live_migratable", "foo"), _value)
            .Array[0, 5]
            .Select(fields =>
            {
                var obj = new JsonObject { ["name"] = "a1" };
                foreach (var (key, value) in fields)
                {
                    obj[key] = value;
                }

                return obj.ToJsonString();
            })),
        (2, Gen.String[Gen.Char["{}[]\":, nameid_0a"], 0, 30]),
        (1, Gen.String));

    private static readonly Gen<PciAliasOptions> _options = Gen.Select(Gen.Bool, Gen.Bool, (zed, placement) =>
        new PciAliasOptions { Release = zed ? NovaRelease.Zed : NovaRelease.Latest, PciInPlacement = placement });

    [Fact]
    public void Parse_AnyLines_SetOrPciException() =>
        Gen.Select(_line.Array[0, 4], _options).Sample((lines, options) =>
        {
            try
            {
                var set = PciAliasSet.Parse(lines, options);
                set.Aliases.ShouldAllBe(a => a.Specs.Count > 0);
            }
            catch (PciException e)
            {
                e.Error.Kind.ShouldBe(PciErrorKinds.PciInvalidAlias);
            }
        }, iter: 1000);

    [Fact]
    public void Check_FirstErrorIsTheOneParseStopsOn() =>
        Gen.Select(_line.Array[0, 4], _options).Sample((lines, options) =>
        {
            var errors = PciAliasSet.Check(lines, options).Errors;
            if (errors.Count == 0)
            {
                PciAliasSet.Parse(lines, options);
            }
            else
            {
                Should.Throw<PciException>(() => PciAliasSet.Parse(lines, options)).Error.ShouldBe(errors[0].Error);
            }
        }, iter: 1000);
}

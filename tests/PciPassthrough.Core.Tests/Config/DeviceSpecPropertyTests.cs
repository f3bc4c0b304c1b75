using System.Text.Json.Nodes;
using CsCheck;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;
using static PciPassthrough.Testing.Config.PciDevices;

namespace PciPassthrough.Core.Tests.Config;

public sealed class DeviceSpecPropertyTests
{
    private static readonly PciDeviceListProbe _host = new([
        Pf("0000:0a:00.0", "8086", "5057", netdev: "p0", vfProductId: "5058"),
        Vf("0000:0a:00.5", "0000:0a:00.0", "8086", "5058"),
        Plain("0000:3b:00.0") with { Netdev = "eth0" },
        Plain("10000:00:01.0") with { Netdev = "bad0" },
    ]);

    private static readonly Gen<string> _fragment = Gen.OneOf(
        "0000:0a:00.5", "*:0a:00.*", "0:a:0.0", "0000:0a:00.0", "10000:0a:00.5", ".", "::", ":::", "0x8086", "8086",
        "5057", "5058", "154c", "*", "", " 0a ", "yes", "TrUe", "0", "maybe", "[5-6]", "(?i)0A", "[6[-7]", "eth0", "p0",
        "lo", "bad0", "é", "\\", "0x", "-1", "1_0");

    private static readonly Gen<string> _key = Gen.OneOf(
        "vendor_id", "product_id", "address", "devname", "remote_managed", "managed", "live_migratable", "one_time_use",
        "physical_network", "trusted", "foo");

    private static readonly Gen<JsonNode?> _scalar = Gen.Frequency(
        (6, _fragment.Select(s => (JsonNode?)JsonValue.Create(s))),
        (1, Gen.Int[-2, 70000].Select(i => (JsonNode?)JsonValue.Create(i))),
        (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (1, Gen.Const((JsonNode?)null)));

    private static readonly Gen<JsonNode?> _regexAddress = Gen.Select(Gen.OneOf("domain", "bus", "slot", "function", "x"), _scalar)
        .Array[0, 4]
        .Select(fields => (JsonNode?)ToObject(fields));

    private static readonly Gen<JsonNode?> _id = Gen.OneOf("8086", "5057", "5058", "*", "0x8086", " 154c", "ABCD")
        .Select(s => (JsonNode?)JsonValue.Create(s));

    private static readonly Gen<JsonNode?> _globAddress = Gen.OneOf(
        "0000:0a:00.0", "0:a:0.0", "*:0a:00.*", "0000:0a:00.5", ".5", "", "0a:", " 0000 : 0a : 00 . 0 ", "0x0:0xa:0x0.0x0")
        .Select(s => (JsonNode?)JsonValue.Create(s));

    private static readonly Gen<JsonNode?> _pfRegexAddress = Gen.OneOf(
        """{"domain":"0000","bus":"0a","slot":"00","function":"0"}""", """{"bus":"0a","function":"[0-5]"}""")
        .Select(s => JsonNode.Parse(s));

    private static readonly Gen<JsonNode?> _devname = Gen.OneOf("p0", "eth0", "lo", "bad0", "")
        .Select(s => (JsonNode?)JsonValue.Create(s));

    private static readonly Gen<(string, JsonNode?)> _field = _key.SelectMany(key => Gen.Frequency(
            (8, key switch
            {
                "vendor_id" or "product_id" => _id,
                "address" => Gen.OneOf(_globAddress, _pfRegexAddress),
                "devname" => _devname,
                "remote_managed" => Gen.OneOf<JsonNode?>("true", "false", "yes"),
                _ => _scalar,
            }),
            (2, Gen.Frequency((8, _scalar), (2, _regexAddress), (1, _scalar.Array[0, 2].Select(a => (JsonNode?)new JsonArray([.. a]))))))
        .Select(value => (key, (JsonNode?)value)));

    private static readonly Gen<JsonObject> _spec = _field.Array[0, 6].Select(ToObject);

    /// <summary>Structured specs, lists of them, and raw JSON-ish noise.</summary>
    private static readonly Gen<string> _line = Gen.Frequency(
        (6, _spec.Select(s => s.ToJsonString())),
        (2, _spec.Array[0, 3].Select(a => "[" + string.Join(",", a.Select(s => s.ToJsonString())) + "]")),
        (2, Gen.String[Gen.Char["{}[]\":,.*0a5xX -?()\\"], 0, 30]),
        (1, Gen.String));

    private static readonly Gen<DeviceSpecOptions> _options = Gen.Select(Gen.Bool, Gen.Bool, (zed, placement) =>
        new DeviceSpecOptions { Release = zed ? NovaRelease.Zed : NovaRelease.Latest, ReportInPlacement = placement });

    [Fact]
    public void Parse_AnyLine_SpecsOrPciException() =>
        Gen.Select(_line.Array[0, 3], _options).Sample((lines, options) =>
        {
            try
            {
                DeviceSpecParser.Parse(lines, _host, options);
            }
            catch (PciException)
            {
            }
        });

    [Fact]
    public void Check_AnyLine_NeverThrows() =>
        Gen.Select(_line.Array[0, 3], _options).Sample((lines, options) =>
        {
            var result = DeviceSpecParser.Check(lines, _host, options);
            result.Errors.ShouldAllBe(e => e.LineIndex >= 0 && e.LineIndex < lines.Length);
        });

    [Fact]
    public void Check_FirstErrorIsTheOneParseStopsOn() =>
        Gen.Select(_line.Array[1, 3], _options).Sample((lines, options) =>
        {
            var result = DeviceSpecParser.Check(lines, _host, options);
            if (result.IsValid)
            {
                DeviceSpecParser.Parse(lines, _host, options).Specs.Count.ShouldBe(result.Specs.Count);
            }
            else
            {
                Should.Throw<PciException>(() => DeviceSpecParser.Parse(lines, _host, options)).Error
                    .ShouldBe(result.Errors[0].Error);
            }
        });

    [Fact]
    public void ToJson_ParsedAgain_SameSpec() =>
        Gen.Select(_spec, _options).Sample((json, options) =>
        {
            DeviceSpec spec;
            try
            {
                spec = DeviceSpecParser.Parse([json.ToJsonString()], _host, options).Specs.Single();
            }
            catch (PciException)
            {
                return;
            }

            var again = DeviceSpecParser.Parse([spec.ToJson()], _host, options).Specs.Single();
            (again.VendorId, again.ProductId, again.Devname, again.Address, again.IsRemoteManaged)
                .ShouldBe((spec.VendorId, spec.ProductId, spec.Devname, spec.Address, spec.IsRemoteManaged));
            again.Tags.Select(t => t.Key).ShouldBe(spec.Tags.Select(t => t.Key));
            again.Tags.Zip(spec.Tags).ShouldAllBe(p => JsonNode.DeepEquals(p.First.Value, p.Second.Value));
            again.ToJson().ShouldBe(spec.ToJson());
        }, iter: 2000);

    [Fact]
    public void Match_AnyDeviceAddress_MatchRejectionOrZedStop() =>
        Gen.Select(_spec, _options, Gen.String[Gen.Char["0a:.x1f* "], 0, 16], Gen.Bool).Sample((json, options, address, child) =>
        {
            DeviceSpecSet set;
            try
            {
                set = DeviceSpecParser.Parse([json.ToJsonString()], _host, options);
            }
            catch (PciException)
            {
                return;
            }

            var device = child ? Vf("0000:0a:00.5", address) : Plain(address);
            try
            {
                var match = set.Match(device);
                (match.IsMatch && match.Rejection is not null).ShouldBeFalse();
            }
            catch (PciException e)
            {
                (options.Release, e.Error.Kind).ShouldBe((NovaRelease.Zed, PciErrorKinds.PciDeviceWrongAddressFormat));
            }
        });

    private static JsonObject ToObject(IEnumerable<(string Key, JsonNode? Value)> fields)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in fields)
        {
            obj[key] = value?.DeepClone();
        }

        return obj;
    }
}

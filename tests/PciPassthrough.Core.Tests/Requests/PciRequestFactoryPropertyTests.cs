using CsCheck;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Flavors;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Tests.Requests;

public sealed class PciRequestFactoryPropertyTests
{
    private static readonly PciAliasSet _aliases = PciAliasSet.Parse([
        """{"name":"a1","vendor_id":"8086","product_id":"154d"}""",
        """{"name":"a b","vendor_id":"8086","product_id":"154f","numa_policy":"socket"}""",
    ]);

    private static readonly Gen<string> _value = Gen.Frequency(
        (4, Gen.String[Gen.Char["a1b :,-+_0x9 "], 0, 20]),
        (2, Gen.Select(Gen.OneOf("a1", " a1 ", "a b", "a3", ""), Gen.OneOf("1", " 2", "0", "-1", "x", "1_0", "99999999999"))
            .Array[1, 3].Select(items => string.Join(",", items.Select(i => $"{i.Item1}:{i.Item2}")))),
        (1, Gen.String));

    [Fact]
    public void FromFlavor_AnyValue_RequestsOrPciException() =>
        Gen.Select(_value, Gen.Bool, Gen.OneOf<PciNumaPolicy?>(null, PciNumaPolicy.Legacy, PciNumaPolicy.Socket)).Sample((value, zed, policy) =>
        {
            var release = zed ? NovaRelease.Zed : NovaRelease.Latest;
            try
            {
                var requests = PciRequestFactory.FromFlavor(value, _aliases, policy, () => "id", release);
                requests.Count.ShouldBe(value.Split(',').Length);
                requests.ShouldAllBe(r => r.NumaPolicy != null && (zed || r.Count >= 0));
            }
            catch (PciException e)
            {
                e.Error.NovaException.ShouldBe(e.Error.Kind != PciErrorKinds.ValueError);
            }
        }, iter: 1000);

    [Fact]
    public void Validate_AnyValue_NeverThrows() =>
        _value.Sample(value => ExtraSpecValidator.Validate(PciAliasExtraSpec.Key, value)?.Kind.ShouldBe(PciErrorKinds.ValidationError));
}

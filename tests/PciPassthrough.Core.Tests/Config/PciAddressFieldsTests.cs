using System.Globalization;
using CsCheck;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Tests.Config;

public sealed class PciAddressFieldsTests
{
    [Theory]
    [InlineData("0000:81:1f.7", "0000", "81", "1f", "7")] // DS-35: what hypervisors report, already normalised
    [InlineData("0000:81:1F.7", "0000", "81", "1f", "7")] // DS-35: upper-case digits are normalised
    [InlineData("0:1:2.3", "0000", "01", "02", "3")] // DS-35: short fields are zero-padded
    [InlineData("ffff:ff:00.0", "ffff", "ff", "00", "0")] // DS-35: the largest domain and bus
    public void DS35_DeviceAddress_Normalised(string text, string domain, string bus, string slot, string function)
    {
        PciAddressFields.TryParseDevice(text, NovaRelease.Latest, out var fields).ShouldBeNull();
        fields.ShouldBe(new PciAddressFields(domain, bus, slot, function));
    }

    [Theory]
    [InlineData("0000:81:20.0", "slot")] // DS-35: slot above 0x1f
    [InlineData("0000:81:00.8", "func")] // DS-35: function above 7
    [InlineData("10000:81:00.0", "domain")] // DS-35: a 32-bit domain
    public void DS35_DeviceAddressOutOfRange_ConfigInvalidSpec(string text, string field)
    {
        var error = PciAddressFields.TryParseDevice(text, NovaRelease.Latest, out _).ShouldNotBeNull();
        (error.Kind, error.Message.Contains($"property {field} ", StringComparison.Ordinal)).ShouldBe((PciErrorKinds.PciConfigInvalidSpec, true));
    }

    [Fact]
    public void DS35_AnyFourFields_NormalisedOrRangeError() =>
        Gen.Select(Gen.Int[0, 0x1ffff], Gen.Int[0, 0x1ff], Gen.Int[0, 0x3f], Gen.Int[0, 0xf], Gen.Bool, Gen.Bool)
            .Sample((domain, bus, slot, function, upper, padded) =>
            {
                string Hex(int value, int width) =>
                    value.ToString((upper ? "X" : "x") + (padded ? width.ToString(CultureInfo.InvariantCulture) : ""), CultureInfo.InvariantCulture);
                var text = $"{Hex(domain, 4)}:{Hex(bus, 2)}:{Hex(slot, 2)}.{Hex(function, 1)}";
                foreach (var release in (NovaRelease[])[NovaRelease.Latest, NovaRelease.Zed])
                {
                    var error = PciAddressFields.TryParseDevice(text, release, out var fields);
                    var valid = domain <= 0xffff && bus <= 0xff && slot <= 0x1f && function <= 7;
                    (error is null).ShouldBe(valid, text);
                    if (valid)
                    {
                        var expected = new PciAddressFields(domain.ToString("x4", CultureInfo.InvariantCulture),
                            bus.ToString("x2", CultureInfo.InvariantCulture), slot.ToString("x2", CultureInfo.InvariantCulture),
                            function.ToString("x", CultureInfo.InvariantCulture));
                        fields.ShouldBe(expected, text);
                    }
                }
            });
}

using PciPassthrough.Core.Pci;

namespace PciPassthrough.Core.Tests.Pci;

public sealed class PciAddressTests
{
    [Theory]
    [InlineData("0000:81:00.1", "0000:81:00.1")]
    [InlineData("0000:3B:1F.7", "0000:3b:1f.7")]
    [InlineData("ffff:ff:1f.7", "ffff:ff:1f.7")]
    public void TryParse_SysfsForm_RoundTripsLowerCase(string text, string expected)
    {
        PciAddress.TryParse(text, out var address).ShouldBeTrue();
        address.ToString().ShouldBe(expected);
    }

    [Theory]
    [InlineData("0000:81:20.0")] // slot above 1f
    [InlineData("0000:81:00.8")] // function above 7
    [InlineData("10000:00:02.0")] // 32-bit domain
    [InlineData("0000:81:00")] // no function
    [InlineData("")]
    [InlineData("zzzz:81:00.0")]
    public void TryParse_OutOfRangeOrMalformed_ReturnsFalse(string text) =>
        PciAddress.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void CompareTo_OrdersByDomainBusSlotFunction() =>
        PciAddress.Parse("0000:0a:00.1").CompareTo(PciAddress.Parse("0000:0a:01.0")).ShouldBeLessThan(0);
}

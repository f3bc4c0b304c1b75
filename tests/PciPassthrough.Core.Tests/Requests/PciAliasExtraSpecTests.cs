using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Flavors;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Tests.Requests;

public sealed class PciAliasExtraSpecTests
{
    [Theory]
    [InlineData("a1:2", true)] // RQ-14
    [InlineData("a1:2,a2:1", true)] // RQ-14
    [InlineData("a1:2, a2:1", true)] // RQ-14
    [InlineData("a1 : 2", false)] // RQ-14
    [InlineData("a1: 2", false)] // RQ-14
    [InlineData("a1:2 ", false)] // RQ-14
    [InlineData(" a1:2", true)] // RQ-14
    [InlineData("a b:1", true)] // RQ-14
    [InlineData("a1:01", true)] // RQ-14
    [InlineData("a1:0", true)] // RQ-14
    [InlineData("a1:-1", false)] // RQ-14
    [InlineData("a1:1,a1:2", true)] // RQ-14
    [InlineData("a3:1", true)] // RQ-14: alias existence not checked
    [InlineData("a1", false)] // RQ-14
    [InlineData("a1:x", false)] // RQ-14
    [InlineData("a1:2:3", false)] // RQ-14
    [InlineData("a1:2,", false)] // RQ-14
    [InlineData(",a1:2", true)] // RQ-14 (sic)
    [InlineData("a1:1,,a2:1", true)] // RQ-14 (sic)
    [InlineData("a1:1;a2:1", false)] // RQ-14
    [InlineData("a1:1 a2:1", false)] // RQ-14
    [InlineData("", false)] // RQ-14
    public void RQ14_FlavorEditValidation(string value, bool valid)
    {
        var error = ExtraSpecValidator.Validate(PciAliasExtraSpec.Key, value);
        (error is null).ShouldBe(valid);
        if (error is not null)
        {
            error.Kind.ShouldBe(PciErrorKinds.ValidationError);
            error.Message.ShouldStartWith($"extra spec 'pci_passthrough:alias': '{value}' is not of the format");
        }
    }
}

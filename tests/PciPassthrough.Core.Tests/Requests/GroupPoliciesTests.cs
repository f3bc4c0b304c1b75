using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Flavors;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Tests.Requests;

public sealed class GroupPoliciesTests
{
    [Theory]
    [InlineData("none", true)] // RQ-29
    [InlineData("isolate", true)] // RQ-29
    [InlineData("Isolate", false)] // RQ-29
    [InlineData("", false)] // RQ-29
    [InlineData("shared", false)] // RQ-29
    public void RQ29_Validate(string value, bool valid)
    {
        var error = ExtraSpecValidator.Validate(GroupPolicies.Key, value);
        (error is null).ShouldBe(valid);
        error?.Kind.ShouldBe(PciErrorKinds.ValidationError);
    }

    [Fact]
    public void RQ29_TryParse_RoundTrips()
    {
        GroupPolicies.TryParse("isolate", out var policy).ShouldBeTrue();
        policy.ShouldBe(GroupPolicy.Isolate);
        GroupPolicies.TryParse("bogus", out _).ShouldBeFalse();
    }
}

using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Tests.Requests;

public sealed class LiveMigrationEligibilityTests
{
    private static PciRequest Alias(string name, params string?[] liveMigratable) => new()
    {
        Count = 1,
        AliasName = name,
        RequestId = name,
        Specs = [.. liveMigratable.Select(v => (IReadOnlyDictionary<string, string?>)(v is null
            ? new Dictionary<string, string?> { ["vendor_id"] = "8086" }
            : new Dictionary<string, string?> { ["vendor_id"] = "8086", ["live_migratable"] = v }))],
    };

    private static readonly PciRequest _port = new()
    {
        Count = 1,
        RequesterId = "p1",
        RequestId = "p",
        Specs = [new Dictionary<string, string?> { ["physical_network"] = "physnet1" }],
    };

    [Fact]
    public void RQ30_EverySpecLiveMigratable_Eligible() =>
        LiveMigrationEligibility.Check([Alias("a1", "true", "true"), Alias("a2", "true"), _port]).ShouldBeNull();

    [Fact]
    public void RQ30_NoRequests_Eligible() => LiveMigrationEligibility.Check([]).ShouldBeNull();

    [Theory]
    [InlineData(null)] // RQ-30: no live_migratable
    [InlineData("false")] // RQ-30
    public void RQ30_OneSpecNotLiveMigratable_Refused(string? value)
    {
        var error = LiveMigrationEligibility.Check([Alias("a1", "true"), Alias("a2", "true", value)])!;
        error.Kind.ShouldBe(PciErrorKinds.MigrationPreCheckError);
        error.Message.ShouldStartWith("PCI alias 'a2' does not explicitly request live-migratable devices");
    }
}

using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Tests.Scheduling;

public sealed class ServerResourcesTests
{
    private static readonly FlavorAmounts _flavor = new(Vcpus: 4, MemoryMb: 2048, RootGb: 10, EphemeralGb: 1, SwapMb: 1025);

    [Fact]
    public void SIM32_SharedFlavor_VcpuMemoryAndDiskWithSwapRoundedUp() =>
        Compute().ShouldBe(Expected(("VCPU", 4), ("MEMORY_MB", 2048), ("DISK_GB", 13)), ignoreOrder: true);

    [Fact]
    public void SIM32_Dedicated_AllCpusArePcpuPlusOneForIsolatedEmulatorThreads() =>
        Compute(dedicated: 4, isolate: true).ShouldBe(Expected(("PCPU", 5), ("MEMORY_MB", 2048), ("DISK_GB", 13)), ignoreOrder: true);

    [Fact]
    public void SIM32_Mixed_DedicatedMaskIsPcpuTheRestVcpu() =>
        Compute(dedicated: 3).ShouldBe(Expected(("VCPU", 1), ("PCPU", 3), ("MEMORY_MB", 2048), ("DISK_GB", 13)), ignoreOrder: true);

    [Fact]
    public void SIM32_ResourcesExtraSpec_ReplacesTheFlavorValueAndZeroRemovesIt() =>
        Compute(("resources:MEMORY_MB", "4096"), ("resources:DISK_GB", "0"))
            .ShouldBe(Expected(("VCPU", 4), ("MEMORY_MB", 4096)), ignoreOrder: true);

    [Fact]
    public void SIM32_ResourcesPcpu_ReplacesVcpu() =>
        Compute(("resources:PCPU", "4")).ShouldBe(Expected(("PCPU", 4), ("MEMORY_MB", 2048), ("DISK_GB", 13)), ignoreOrder: true);

    [Fact]
    public void SIM32_NumberedGroups_AddTheirAmounts() =>
        Compute(("resources1:CUSTOM_X", "2"), ("resources_b:CUSTOM_X", " +1_0 "), ("resources1:VCPU", "1"))
            .ShouldBe(Expected(("VCPU", 1), ("CUSTOM_X", 12), ("MEMORY_MB", 2048), ("DISK_GB", 13)), ignoreOrder: true);

    [Theory]
    [InlineData("resources:BOGUS", "1")] // neither standard nor CUSTOM_
    [InlineData("resources:CUSTOM_X", "-1")] // negative
    [InlineData("resources:CUSTOM_X", "x")] // not integer text
    [InlineData("trait:CUSTOM_X", "required")]
    public void SIM32_InvalidResourceSpecs_AreSkipped(string key, string value) =>
        Compute((key, value)).ShouldBe(Expected(("VCPU", 4), ("MEMORY_MB", 2048), ("DISK_GB", 13)), ignoreOrder: true);

    [Fact]
    public void SIM32_PersistentMemoryLabels_AreCustomClasses() =>
        Compute(("hw:pmem", "small, large,small,")).ShouldBe(Expected(("VCPU", 4), ("MEMORY_MB", 2048), ("DISK_GB", 13),
            ("CUSTOM_PMEM_NAMESPACE_SMALL", 2), ("CUSTOM_PMEM_NAMESPACE_LARGE", 1)), ignoreOrder: true);

    [Theory] // SIM-30: integer text
    [InlineData(" +1_0 ", 10L)]
    [InlineData("007", 7L)]
    [InlineData("-3", -3L)]
    [InlineData("\t2\n", 2L)]
    public void IntegerText_PythonIntForms_Parse(string text, long expected)
    {
        IntegerText.TryParse(text, out var value).ShouldBeTrue();
        value.ShouldBe(expected);
    }

    [Theory]
    [InlineData("1__0")]
    [InlineData("_1")]
    [InlineData("1_")]
    [InlineData("+")]
    [InlineData("")]
    [InlineData("0x10")]
    [InlineData("1.0")]
    [InlineData("+-1")]
    [InlineData("99999999999999999999")]
    public void IntegerText_OtherForms_AreRejected(string text) => IntegerText.TryParse(text, out _).ShouldBeFalse();

    private static IReadOnlyDictionary<string, long> Compute(params (string Key, string Value)[] specs) =>
        ServerResources.Compute(_flavor, specs.ToDictionary(s => s.Key, s => s.Value), dedicatedCpus: null, isolateEmulatorThreads: false);

    private static IReadOnlyDictionary<string, long> Compute(long dedicated, bool isolate = false) =>
        ServerResources.Compute(_flavor, new Dictionary<string, string>(), dedicated, isolate);

    private static Dictionary<string, long> Expected(params (string Class, long Amount)[] amounts) =>
        amounts.ToDictionary(a => a.Class, a => a.Amount);
}

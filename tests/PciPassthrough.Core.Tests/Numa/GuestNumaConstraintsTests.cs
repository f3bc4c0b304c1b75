using System.Globalization;
using System.Numerics;
using System.Text.Json;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Flavors;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Tests.Numa;

/// <summary>The instance-topology table of spec 05 §6 (vcpus 4, memory 2048 unless stated).</summary>
public sealed class GuestNumaConstraintsTests
{
    [Theory]
    [InlineData("")] // NF-1: no extra specs
    [InlineData("hw:cpu_policy=shared")] // NF-1, §7 item 16
    [InlineData("hw:numa_cpus.0=0-3;hw:numa_mem.0=2048")] // NF-4: lists alone are ignored
    [InlineData("hw:pci_numa_affinity_policy=required")] // NF-1: a PCI policy alone
    [InlineData("pci_passthrough:alias=a1:1")] // NF-1: PCI requests alone
    public void NF1_NothingThatCreatesATopology_ReturnsNone(string specs) =>
        Compute(specs).ShouldBeNull();

    [Fact]
    public void NF5_TwoNodes_SplitsCpusAndMemoryEvenly()
    {
        var topology = Compute("hw:numa_nodes=2")!;
        topology.Cells.Select(c => c.SharedCpus).ShouldBe([[0, 1], [2, 3]]);
        topology.Cells.Select(c => c.MemoryMb).ShouldBe([1024, 1024]);
        topology.Cells.ShouldAllBe(c => c.DedicatedCpus.Count == 0 && c.CpuPolicy == null && c.PageSizeKb == null);
    }

    [Theory]
    [InlineData("hw:numa_nodes=3", 2048)] // NF-5: 4 CPUs over 3 nodes
    [InlineData("hw:numa_nodes=2", 2047)] // NF-5: odd memory
    public void NF5_UnevenSplit_IsAsymmetric(string specs, long memory) =>
        Error(specs, memory: memory).Kind.ShouldBe(FlavorErrorKinds.ImageNUMATopologyAsymmetric);

    [Theory]
    [InlineData("hw:numa_nodes=1", 3_000_000_000L)]
    [InlineData("hw:cpu_policy=dedicated", long.MaxValue)]
    [InlineData("hw:cpu_policy=dedicated", CpuConstraints.MaxGuestCpus + 1)]
    public void SIM31_GuestCpuSetsPast2Pow24_AreAMemoryError(string specs, long vcpus)
    {
        // Nova builds set(range(vcpus)) and runs out of memory; a typed error, not an overflow or our own exhaustion
        var error = Should.Throw<PciException>(() => GuestNumaConstraints.Compute(Flavor(specs, vcpus), Image("{}"))).Error;

        (error.Kind, error.NovaException).ShouldBe((PciErrorKinds.MemoryError, false));
    }

    [Fact]
    public void SIM31_GuestCpuSetOf2Pow24_IsBuilt() =>
        CpuConstraints.GuestCpus(CpuConstraints.MaxGuestCpus / 2, CpuConstraints.MaxGuestCpus / 2).Last().ShouldBe((int)CpuConstraints.MaxGuestCpus - 1);

    [Theory]
    [InlineData("99999999999999999999", FlavorErrorKinds.ImageNUMATopologyAsymmetric)] // a valid count: Python ints have no limit
    [InlineData("-99999999999999999999", FlavorErrorKinds.InvalidNUMANodesNumber)]
    [InlineData("099999999999999999999", FlavorErrorKinds.InvalidNUMANodesNumber)] // not canonical base 10
    public void NF3_NodeCountBeyond64Bits_IsReadAsPythonInt(string nodes, string kind) =>
        Error($"hw:numa_nodes={nodes}").Kind.ShouldBe(kind);

    [Theory]
    [InlineData("\"99999999999999999999\"")]
    [InlineData("99999999999999999999")]
    [InlineData("9223372036854775807")]
    public void NF3_ImageNodeCountBeyond64Bits_IsAsymmetric(string nodes) =>
        Error("", image: $"{{\"hw_numa_nodes\": {nodes}}}").Kind.ShouldBe(FlavorErrorKinds.ImageNUMATopologyAsymmetric);

    [Theory]
    [InlineData("hw:numa_nodes=2;hw:numa_cpus.0=0;hw:numa_cpus.1=99999999999999999999;hw:numa_mem.0=1024;hw:numa_mem.1=1024",
        FlavorErrorKinds.ImageNUMATopologyCPUOutOfRange)] // NF-6
    [InlineData("hw:cpu_policy=mixed;hw:cpu_dedicated_mask=99999999999999999999", FlavorErrorKinds.InvalidMixedInstanceDedicatedMask)]
    [InlineData("hw:cpu_policy=dedicated;hw:cpu_realtime=yes;hw:cpu_realtime_mask=^99999999999999999999",
        FlavorErrorKinds.RealtimeMaskNotFoundOrInvalid)]
    public void NF4_CpuNumberBeyond32Bits_IsPastTheLastGuestCpu(string specs, string kind) =>
        Error(specs).Kind.ShouldBe(kind);

    [Theory]
    [InlineData("0")]
    [InlineData("x")]
    [InlineData("-1")]
    [InlineData("01")] // not canonical base 10
    [InlineData(" 2")]
    public void NF3_BadNodeCount_IsInvalidNumaNodesNumber(string nodes) =>
        Error($"hw:numa_nodes={nodes}").Kind.ShouldBe(FlavorErrorKinds.InvalidNUMANodesNumber);

    [Fact]
    public void NF2_Dedicated_OnePinnedCell()
    {
        var cell = Compute("hw:cpu_policy=dedicated")!.Cells.ShouldHaveSingleItem();
        cell.DedicatedCpus.ShouldBe([0, 1, 2, 3]);
        cell.SharedCpus.ShouldBeEmpty();
        cell.MemoryMb.ShouldBe(2048);
        cell.CpuPolicy.ShouldBe(CpuPolicy.Dedicated);
    }

    [Fact]
    public void NF2_UnknownPolicy_IsInvalidCpuAllocationPolicy() =>
        Error("hw:cpu_policy=bogus").Kind.ShouldBe(FlavorErrorKinds.InvalidCPUAllocationPolicy);

    [Theory]
    [InlineData("large", MemoryPageSize.Large)]
    [InlineData("2MB", 2048L)]
    [InlineData("any", MemoryPageSize.Any)]
    [InlineData("small", MemoryPageSize.Small)]
    [InlineData("1GB", 1048576L)]
    [InlineData("2048", 2048L)] // a bare number is KiB
    [InlineData("2Mb", 256L)] // bits
    public void NF1_PageSize_CreatesOneCellWithThatSize(string size, long expected) =>
        Compute($"hw:mem_page_size={size}")!.Cells.ShouldHaveSingleItem().PageSizeKb.ShouldBe(expected);

    [Theory]
    [InlineData("foo")]
    [InlineData("2M")] // a unit needs B or b
    public void NF1_BadPageSize_IsMemoryPageSizeInvalid(string size) =>
        Error($"hw:mem_page_size={size}").Kind.ShouldBe(FlavorErrorKinds.MemoryPageSizeInvalid);

    [Theory]
    [InlineData("99999999999999999999", "99999999999999999999")] // a bare number is Python's int: no bound
    [InlineData("99999999999999999999GB", "104857600000000000000000000")] // a size with a unit: float arithmetic
    [InlineData("\U0001D7D0\U0001D7CE\U0001D7D2\U0001D7D6", "2048")] // digits outside the BMP
    [InlineData("\U0001D7D0MB", "2048")]
    public void NF1_PageSize_ExactAsPythonComputesIt(string size, string expected)
    {
        var topology = Compute($"hw:mem_page_size={size}")!;

        topology.PageSizeKb.ShouldBe(BigInteger.Parse(expected, CultureInfo.InvariantCulture));
        topology.Cells.ShouldHaveSingleItem().PageSizeKb.ShouldBe(IntegerText.Saturated(topology.PageSizeKb!.Value));
    }

    [Theory]
    [InlineData("\u00b2")] // str.isdigit() but not decimal: int() raises
    [InlineData("\u2461")]
    public void NF1_DigitsThatAreNotDecimal_EscapeAsValueError(string size)
    {
        var error = Error($"hw:mem_page_size={size}");

        (error.Kind, error.NovaException).ShouldBe((FlavorErrorKinds.ValueError, false));
    }

    [Fact]
    public void NF1_FractionOfAKibPage_StillCreatesATopologyWithSizeZero() =>
        Compute("hw:mem_page_size=512B")!.Cells.ShouldHaveSingleItem().PageSizeKb.ShouldBe(0);

    [Fact]
    public void NF6_ManualSplit_UsesTheLists()
    {
        var topology = Compute("hw:numa_nodes=2;hw:numa_cpus.0=0;hw:numa_cpus.1=1-3;hw:numa_mem.0=512;hw:numa_mem.1=1536")!;
        topology.Cells.Select(c => c.SharedCpus).ShouldBe([[0], [1, 2, 3]]);
        topology.Cells.Select(c => c.MemoryMb).ShouldBe([512, 1536]);
    }

    [Theory]
    [InlineData("hw:numa_nodes=2;hw:numa_cpus.0=0;hw:numa_cpus.1=1-3;hw:numa_mem.0=512", FlavorErrorKinds.ImageNUMATopologyIncomplete)]
    [InlineData("hw:numa_nodes=2;hw:numa_cpus.0=0;hw:numa_mem.0=512", FlavorErrorKinds.ImageNUMATopologyIncomplete)]
    [InlineData("hw:numa_nodes=2;hw:numa_cpus.0=0;hw:numa_cpus.1=1-4;hw:numa_mem.0=512;hw:numa_mem.1=1536", FlavorErrorKinds.ImageNUMATopologyCPUOutOfRange)]
    [InlineData("hw:numa_nodes=2;hw:numa_cpus.0=0-1;hw:numa_cpus.1=1-3;hw:numa_mem.0=512;hw:numa_mem.1=1536", FlavorErrorKinds.ImageNUMATopologyCPUDuplicates)]
    [InlineData("hw:numa_nodes=2;hw:numa_cpus.0=0;hw:numa_cpus.1=1-2;hw:numa_mem.0=512;hw:numa_mem.1=1536", FlavorErrorKinds.ImageNUMATopologyCPUsUnassigned)]
    [InlineData("hw:numa_nodes=2;hw:numa_cpus.0=0;hw:numa_cpus.1=1-3;hw:numa_mem.0=512;hw:numa_mem.1=1024", FlavorErrorKinds.ImageNUMATopologyMemoryOutOfRange)]
    [InlineData("hw:numa_nodes=2;hw:numa_cpus.0=0-1;hw:numa_cpus.2=2-3;hw:numa_mem.0=1024;hw:numa_mem.1=1024", FlavorErrorKinds.ImageNUMATopologyIncomplete)]
    public void NF6_BadManualSplit_FailsWithTheFirstProblem(string specs, string kind) =>
        Error(specs).Kind.ShouldBe(kind);

    [Fact]
    public void NF3_NodesOnFlavorAndImage_IsForbiddenEvenWhenEqual() =>
        Error("hw:numa_nodes=1", image: """{"hw_numa_nodes": 1}""").Kind.ShouldBe(FlavorErrorKinds.ImageNUMATopologyForbidden);

    [Fact]
    public void NF3_NodesOnImageOnly_SplitsLikeTheFlavor() =>
        Compute("", image: """{"hw_numa_nodes": "2"}""")!.Cells.Select(c => c.SharedCpus).ShouldBe([[0, 1], [2, 3]]);

    [Theory]
    [InlineData("hw:cpu_policy=shared", """{"hw_cpu_policy": "dedicated"}""")]
    [InlineData("hw:cpu_policy=shared", """{"hw_cpu_policy": "mixed"}""")]
    [InlineData("hw:cpu_policy=mixed;hw:cpu_dedicated_mask=^0", """{"hw_cpu_policy": "dedicated"}""")]
    public void NF2_ImageAsksForMorePinning_IsForbidden(string specs, string image) =>
        Error(specs, image: image).Kind.ShouldBe(FlavorErrorKinds.ImageCPUPinningForbidden);

    [Fact]
    public void NF2_ImageDedicatedAlone_OnePinnedCell() =>
        Compute("", image: """{"hw_cpu_policy": "dedicated"}""")!.Cells.ShouldHaveSingleItem().DedicatedCpus.ShouldBe([0, 1, 2, 3]);

    [Fact]
    public void NF7_MixedWithMask_SplitsSharedAndDedicated()
    {
        var cell = Compute("hw:cpu_policy=mixed;hw:cpu_dedicated_mask=^0")!.Cells.ShouldHaveSingleItem();
        cell.SharedCpus.ShouldBe([0]);
        cell.DedicatedCpus.ShouldBe([1, 2, 3]);
        cell.CpuPolicy.ShouldBe(CpuPolicy.Mixed);
    }

    [Fact]
    public void NF7_DedicatedOverTwoNodes_PinsEachHalf() =>
        Compute("hw:cpu_policy=dedicated;hw:numa_nodes=2")!.Cells.Select(c => c.DedicatedCpus).ShouldBe([[0, 1], [2, 3]]);

    [Theory]
    [InlineData("resources:PCPU=4")]
    [InlineData("resources1:PCPU=4")]
    [InlineData("resources:PCPU=5;hw:emulator_threads_policy=isolate")]
    public void NF2_PcpuResources_ImplyDedicated(string specs) =>
        Compute(specs)!.Cells.ShouldHaveSingleItem().CpuPolicy.ShouldBe(CpuPolicy.Dedicated);

    [Theory]
    [InlineData("resources:PCPU=3")] // must equal vcpus
    [InlineData("resources:PCPU=4;hw:emulator_threads_policy=isolate")] // must be vcpus + 1
    [InlineData("resources:PCPU=4;hw:cpu_policy=dedicated")]
    [InlineData("resources:VCPU=4;hw:cpu_policy=shared")]
    [InlineData("resources:VCPU=4;resources:PCPU=4")]
    public void NF2_ConflictingCpuResources_AreInvalidRequests(string specs) =>
        Error(specs).Kind.ShouldBe(FlavorErrorKinds.InvalidRequest);

    [Fact]
    public void NF2_VcpuResources_ImplySharedAndNoTopology() =>
        Compute("resources:VCPU=4").ShouldBeNull();

    [Theory]
    [InlineData("hw:cpu_thread_policy=isolate", FlavorErrorKinds.CPUThreadPolicyConfigurationInvalid)]
    [InlineData("hw:emulator_threads_policy=isolate", FlavorErrorKinds.BadRequirementEmulatorThreadsPolicy)]
    [InlineData("hw:cpu_policy=dedicated;hw:cpu_dedicated_mask=^0", FlavorErrorKinds.RequiredMixedInstancePolicy)]
    [InlineData("hw:cpu_policy=mixed", FlavorErrorKinds.RequiredMixedOrRealtimeCPUMask)]
    [InlineData("hw:cpu_policy=mixed;hw:cpu_dedicated_mask=0-3", FlavorErrorKinds.InvalidMixedInstanceDedicatedMask)]
    [InlineData("hw:cpu_policy=dedicated;hw:cpu_thread_policy=bogus", FlavorErrorKinds.InvalidCPUThreadAllocationPolicy)]
    [InlineData("hw:cpu_policy=dedicated;hw:emulator_threads_policy=bogus", FlavorErrorKinds.InvalidEmulatorThreadsPolicy)]
    [InlineData("hw:cpu_realtime=yes", FlavorErrorKinds.RealtimeMaskNotFoundOrInvalid)]
    [InlineData("hw:cpu_realtime=yes;hw:cpu_realtime_mask=^0", FlavorErrorKinds.RealtimeConfigurationInvalid)]
    [InlineData("hw:numa_nodes=1;hw:numa_cpus.0=x;hw:numa_mem.0=2048", FlavorErrorKinds.Invalid)]
    [InlineData("hw:mem_page_size=small;hw:locked_memory=maybe", null)]
    [InlineData("hw:locked_memory=true", FlavorErrorKinds.LockMemoryForbidden)]
    public void NF2_PolicyCombinations_FailAsNovaDoes(string specs, string? kind)
    {
        if (kind is null)
        {
            Compute(specs).ShouldNotBeNull();
            return;
        }

        Error(specs).Kind.ShouldBe(kind);
    }

    [Fact]
    public void NF4_NonIntegerNodeMemory_EscapesAsValueError()
    {
        var error = Error("hw:numa_nodes=1;hw:numa_cpus.0=0-3;hw:numa_mem.0=lots");
        error.Kind.ShouldBe(FlavorErrorKinds.ValueError);
        error.NovaException.ShouldBeFalse();
    }

    [Fact]
    public void NF7_EmulatorThreadsPolicy_IsCarriedByTheTopology() =>
        Compute("hw:cpu_policy=dedicated;hw:emulator_threads_policy=isolate")!.EmulatorThreadsIsolated.ShouldBeTrue();

    [Fact]
    public void NF2_HyperthreadingTraitForbidden_MeansIsolate() =>
        Compute("hw:cpu_policy=dedicated;trait:HW_CPU_HYPERTHREADING=forbidden")!.Cells[0].CpuThreadPolicy.ShouldBe(CpuThreadPolicy.Isolate);

    [Fact]
    public void NF1_PageSizeOnImageOnly_IsForbidden() =>
        Error("", image: """{"hw_mem_page_size": "large"}""").Kind.ShouldBe(FlavorErrorKinds.MemoryPageSizeForbidden);

    [Fact]
    public void NF1_ImageRefinesFlavorAny_TakesTheImageSize() =>
        Compute("hw:mem_page_size=any", image: """{"hw_mem_page_size": "1GB"}""")!.Cells[0].PageSizeKb.ShouldBe(1048576);

    internal static Flavor Flavor(string specs, long vcpus = 4, long memory = 2048) => new()
    {
        Vcpus = vcpus,
        MemoryMb = memory,
        ExtraSpecs = specs.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(spec => spec.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1]),
    };

    internal static ImageProperties Image(string json) =>
        ImageProperties.Parse(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!);

    private static GuestNumaTopology? Compute(string specs, long memory = 2048, string image = "{}") =>
        GuestNumaConstraints.Compute(Flavor(specs, memory: memory), Image(image));

    private static PciError Error(string specs, long memory = 2048, string image = "{}") =>
        Should.Throw<PciException>(() => Compute(specs, memory, image)).Error;
}

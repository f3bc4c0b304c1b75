using PciPassthrough.Core.Numa;
using static PciPassthrough.Testing.Numa.NumaBuilders;

namespace PciPassthrough.Core.Tests.Numa;

/// <summary>SIM-39: which host CPUs a pinned guest cell gets.</summary>
public sealed class CpuPinningTests
{
    [Theory]
    [InlineData(null, 2, new[] { 0, 1 })] // prefer (unset): a whole core first
    [InlineData(CpuThreadPolicy.Prefer, 3, new[] { 0, 1, 2 })]
    [InlineData(CpuThreadPolicy.Require, 3, new[] { 0, 1, 2 })]
    [InlineData(CpuThreadPolicy.Isolate, 2, new[] { 0, 2 })] // one CPU per free core
    [InlineData(CpuThreadPolicy.Isolate, 3, null)] // only two cores
    public void SIM39_SmtHost_PacksAccordingToThePolicy(CpuThreadPolicy? policy, int guestCpus, int[]? expected) =>
        PinnedHostCpus(SmtCell(), guestCpus, policy).ShouldBe(expected);

    [Fact]
    public void SIM39_SiblingsPartlyPinned_TakesTheFirstCpuOfEachFreeSet()
    {
        var cell = SmtCell(cores: 3) with { PinnedCpus = [1, 3] }; // free sets [0] [2] [4,5]

        PinnedHostCpus(cell, 3, null).ShouldBe([0, 2, 4]);
    }

    [Fact]
    public void SIM39_NotEnoughFreeSets_FallsBackToEveryFreeCpu()
    {
        var cell = SmtCell(cores: 3) with { PinnedCpus = [1, 3] };

        PinnedHostCpus(cell, 4, null).ShouldBe([0, 2, 4, 5]);
        PinnedHostCpus(cell, 4, CpuThreadPolicy.Require).ShouldBeNull(); // require never settles for single threads
    }

    [Fact]
    public void SIM39_RequireOnHostWithoutSmt_DoesNotFit() =>
        PinnedHostCpus(HostCell(0, 0, 4), 2, CpuThreadPolicy.Require).ShouldBeNull();

    [Fact]
    public void SIM39_IsolateOnSmtHostWithSeparateSharedCpus_DoesNotFit()
    {
        var cell = HostNumaCell.Create(0, 4096, [8, 9], [0, 1, 2, 3], siblings: [[0, 1], [2, 3]]);

        PinnedHostCpus(cell, 1, CpuThreadPolicy.Isolate).ShouldBeNull();
    }

    [Fact]
    public void SIM39_IsolateWithoutCompleteFreeCore_DoesNotFit() =>
        PinnedHostCpus(SmtCell() with { PinnedCpus = [0, 2] }, 1, CpuThreadPolicy.Isolate).ShouldBeNull();

    [Fact]
    public void SIM39_IsolatedEmulatorThread_TakesAFreeCpuOutsideTheGuestsCores()
    {
        var fit = Fit(SmtCell(cores: 3), 1, CpuThreadPolicy.Isolate, EmulatorThreadsPolicy.Isolate)!;

        fit.CpuPinning!.Values.ShouldBe([0]);
        fit.CpusetReserved.ShouldBe([2]);
    }

    [Fact]
    public void SIM39_EmulatorThreadWithPrefer_TakesTheFirstCpuTheGuestDoesNotUse()
    {
        var fit = Fit(SmtCell(cores: 2), 1, null, EmulatorThreadsPolicy.Isolate)!;

        fit.CpuPinning!.Values.ShouldBe([0]);
        fit.CpusetReserved.ShouldBe([1]);
    }

    [Fact]
    public void SIM39_DedicatedGuestCpus_GetTheHostCpusInAscendingOrder() =>
        Fit(HostCell(0, 10, 4), 3, null)!.CpuPinning.ShouldBe(new Dictionary<int, int> { [0] = 10, [1] = 11, [2] = 12 });

    [Fact]
    public void SIM39_PythonSetOrder_TakesTheCpusAsNovasSetsIterate()
    {
        int[] cpus = [.. Enumerable.Range(0, 16)];
        int[][] pairs = [.. Enumerable.Range(0, 8).Select(n => new[] { n, n + 8 })];
        var cell = HostNumaCell.Create(0, 8192, cpus, cpus, siblings: pairs) with
        {
            SetOrder = CpuSetOrder.Build(cpus, cpus, pairs)!.DeepCopied().RoundTripped(), // the compute's claim
        };

        PinnedHostCpus(cell, 4, CpuThreadPolicy.Isolate).ShouldBe([0, 1, 2, 11]); // {3, 11} iterates 11 first
    }

    /// <summary>A cell whose shared and dedicated CPUs are the same SMT pairs [0,1] [2,3] ….</summary>
    private static HostNumaCell SmtCell(int cores = 2)
    {
        var cpus = Enumerable.Range(0, cores * 2).ToList();
        return HostNumaCell.Create(0, 8192, cpus, cpus, siblings: cpus.Chunk(2));
    }

    private static FittedNumaCell? Fit(HostNumaCell cell, int guestCpus, CpuThreadPolicy? policy, EmulatorThreadsPolicy? emulator = null) =>
        NumaFitter.Fit(new HostNumaTopology([cell]), Guest(1, guestCpus, 512, CpuPolicy.Dedicated, policy, emulatorThreads: emulator),
            new NumaFitOptions())?.Cells.Single();

    private static int[]? PinnedHostCpus(HostNumaCell cell, int guestCpus, CpuThreadPolicy? policy) =>
        Fit(cell, guestCpus, policy)?.CpuPinning!.Values.Order().ToArray();
}

using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Requests;
using PciPassthrough.Testing.Numa;
using static PciPassthrough.Testing.Numa.NumaBuilders;

namespace PciPassthrough.Core.Tests.Numa;

public sealed class NumaFitterTests
{
    /// <summary>The host of the ordering table of spec 05 §6: 4 cells × 4 CPUs (shared = dedicated), 4096 MB.</summary>
    private static readonly HostNumaTopology _orderingHost = new(
    [
        HostCell(0, 0, 4) with { CpuUsage = 3, MemoryUsageMb = 2048, PinnedCpus = [1, 2] },
        HostCell(1, 4, 4) with { CpuUsage = 2, MemoryUsageMb = 2048, PinnedCpus = [5, 6] },
        HostCell(2, 8, 4) with { CpuUsage = 2, MemoryUsageMb = 2048 },
        HostCell(3, 12, 4) with { CpuUsage = 2, MemoryUsageMb = 1024, PinnedCpus = [13, 14] },
    ]);

    [Theory]
    [InlineData(false, false, false, false, new[] { 3, 1, 2 })]
    [InlineData(false, false, true, false, new[] { 3, 2, 0 })]
    [InlineData(false, false, true, true, new[] { 1, 3, 2 })]
    [InlineData(false, true, false, false, new[] { 2, 3, 0 })]
    [InlineData(false, true, true, false, new[] { 2, 3, 0 })]
    [InlineData(false, true, true, true, new[] { 1, 2, 3 })]
    [InlineData(true, false, false, false, new[] { 0, 1, 2 })]
    [InlineData(true, false, true, false, new[] { 0, 2, 3 })]
    [InlineData(true, false, true, true, new[] { 1, 0, 2 })]
    [InlineData(true, true, false, false, new[] { 0, 1, 3 })]
    [InlineData(true, true, true, false, new[] { 0, 3, 2 })]
    [InlineData(true, true, true, true, new[] { 1, 0, 3 })]
    public void NF9_HostCellOrdering_MatchesNovaTable(bool pack, bool dedicated, bool pools, bool pciRequest, int[] expected)
    {
        var guest = Guest(3, 1, 2048, dedicated ? CpuPolicy.Dedicated : null);
        var options = new NumaFitOptions
        {
            PackCells = pack,
            Pci = pools ? new FakePciNumaView(new Dictionary<int, int> { [1] = 2 }) : null,
            PciRequests = pciRequest ? [PciRequest()] : [],
        };

        HostCellIds(NumaFitter.Fit(_orderingHost, guest, options)).ShouldBe(expected);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NF9_AsManyGuestCellsAsHostCells_KeepsHostOrder(bool pack) =>
        HostCellIds(NumaFitter.Fit(_orderingHost, Guest(4, 1, 1024), new NumaFitOptions { PackCells = pack })).ShouldBe([0, 1, 2, 3]);

    [Theory]
    [InlineData(1, 2)] // pool on node 1 → a guest without PCI goes to 2
    [InlineData(2, 1)]
    public void NF9_GuestWithoutPci_AvoidsThePciCell(int poolNode, int expected)
    {
        var host = new HostNumaTopology([HostCell(1, 0, 4), HostCell(2, 4, 4)]);
        var options = new NumaFitOptions { Pci = new FakePciNumaView(new Dictionary<int, int> { [poolNode] = 1 }) };

        HostCellIds(NumaFitter.Fit(host, Guest(1, 1, 1024), options)).ShouldBe([expected]);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, new[] { 0 })]
    public void NF11_PciSupport_DecidesTheFit(bool supported, int[]? expected)
    {
        var host = new HostNumaTopology([HostCell(0, 0, 4), HostCell(1, 4, 4)]);
        var options = new NumaFitOptions { Pci = new FakePciNumaView(new Dictionary<int, int>(), _ => supported), PciRequests = [PciRequest()] };

        HostCellIds(NumaFitter.Fit(host, Guest(1, 1, 1024), options)).ShouldBe(expected);
    }

    [Fact]
    public void NF11_FirstSelectionThePoolsSupport_Wins()
    {
        var host = new HostNumaTopology([HostCell(0, 0, 4), HostCell(1, 4, 4), HostCell(2, 8, 4)]);
        var options = new NumaFitOptions { Pci = new FakePciNumaView(new Dictionary<int, int>(), cells => cells.Contains(2)), PciRequests = [PciRequest()] };

        HostCellIds(NumaFitter.Fit(host, Guest(2, 1, 1024), options)).ShouldBe([0, 2]);
    }

    [Fact]
    public void NF10_SelectionsAreTriedInLexicographicOrderOfPositions()
    {
        // only cell 2 holds guest cell 0; (2, 0) comes before (2, 1) and (2, 3)
        var host = new HostNumaTopology([HostCell(0, 0, 4), HostCell(1, 4, 4), HostCell(2, 8, 4, 8192), HostCell(3, 12, 4)]);
        var guest = new GuestNumaTopology(
        [
            new GuestNumaCell { Id = 0, SharedCpus = [0], DedicatedCpus = [], MemoryMb = 6144 },
            new GuestNumaCell { Id = 1, SharedCpus = [1], DedicatedCpus = [], MemoryMb = 512 },
        ], null);

        HostCellIds(NumaFitter.Fit(host, guest, new NumaFitOptions())).ShouldBe([2, 0]);
    }

    [Fact]
    public void NF8_MoreGuestCellsThanHostCells_DoesNotFit() =>
        NumaFitter.Fit(new HostNumaTopology([HostCell(0, 0, 4)]), Guest(2, 1, 512), new NumaFitOptions()).ShouldBeNull();

    [Fact]
    public void NF8_EmptyHostTopology_DoesNotFit() =>
        NumaFitter.Fit(new HostNumaTopology([]), Guest(1, 1, 512), new NumaFitOptions()).ShouldBeNull();

    [Fact]
    public void NF11_ImpossibleRequiredRequest_IsRefusedWithoutWalkingEverySelection()
    {
        var host = new HostNumaTopology([.. Enumerable.Range(0, 8).Select(id => HostCell(id, id * 8, 8, 16384))]);
        var pci = new FakePciNumaView(new Dictionary<int, int>(), _ => false);
        var options = new NumaFitOptions { Pci = pci, PciRequests = [PciRequest(2, PciNumaPolicy.Required)] };

        NumaFitter.Fit(host, Guest(4, 2, 1024, CpuPolicy.Dedicated), options).ShouldBeNull();
        pci.SupportCalls.Count.ShouldBe(2); // the first selection, then all eight cells at once
    }

    [Theory]
    [InlineData(5, true)] // one matching device per cell: no four cells hold five
    [InlineData(4, false)] // four cells can: the search runs and asks the pools
    public void NF11_RequiredRequestNoSetOfCellsCanHold_IsRefusedBeforeTheSearch(int count, bool refusedEarly)
    {
        var host = new HostNumaTopology([.. Enumerable.Range(0, 8).Select(id => HostCell(id, id * 8, 8, 16384))]);
        var pci = new FakePciNumaView(new Dictionary<int, int>(), _ => false, Enumerable.Range(0, 8).ToDictionary(id => id, _ => 1));
        var options = new NumaFitOptions { Pci = pci, PciRequests = [PciRequest(count, PciNumaPolicy.Required)] };

        NumaFitter.Fit(host, Guest(4, 1, 1024), options).ShouldBeNull();
        (pci.SupportCalls.Count == 0).ShouldBe(refusedEarly);
    }

    [Theory]
    [InlineData(true, false)] // a negative count first raises a pool's count: the pools decide, no early refusal
    [InlineData(false, true)] // after the required request it cannot help it
    public void NF11_RequiredRequestAfterNegativeCount_IsLeftToThePools(bool negativeFirst, bool refusedEarly)
    {
        var host = new HostNumaTopology([.. Enumerable.Range(0, 8).Select(id => HostCell(id, id * 8, 8, 16384))]);
        var pci = new FakePciNumaView(new Dictionary<int, int>(), _ => false, Enumerable.Range(0, 8).ToDictionary(id => id, _ => 1));
        PciRequest[] requests = [PciRequest(-3, PciNumaPolicy.Legacy), PciRequest(5, PciNumaPolicy.Required)];
        var options = new NumaFitOptions { Pci = pci, PciRequests = negativeFirst ? requests : [.. requests.Reverse()] };

        NumaFitter.Fit(host, Guest(4, 1, 1024), options).ShouldBeNull();
        (pci.SupportCalls.Count == 0).ShouldBe(refusedEarly);
    }

    [Fact]
    public void NF11_ImpossibleLegacyRequest_ChecksEachSetOfCellsOnce()
    {
        var host = new HostNumaTopology([.. Enumerable.Range(0, 6).Select(id => HostCell(id, id * 4, 4))]);
        var pci = new FakePciNumaView(new Dictionary<int, int>(), _ => false);
        var options = new NumaFitOptions { Pci = pci, PciRequests = [PciRequest(1, PciNumaPolicy.Legacy)] };

        NumaFitter.Fit(host, Guest(3, 1, 512), options).ShouldBeNull();
        pci.SupportCalls.Count.ShouldBe(20); // C(6,3) sets, not P(6,3) = 120 selections
    }

    [Fact]
    public void NF11_GuestCellThatFitsNowhere_StopsAfterOneCheckPerHostCell()
    {
        var host = new HostNumaTopology([.. Enumerable.Range(0, 8).Select(id => HostCell(id, id * 4, 4, 2048))]);
        var guest = Guest(4, 1, 4096);

        NumaFitter.Fit(host, guest, new NumaFitOptions()).ShouldBeNull();
    }

    [Theory]
    [InlineData(new[] { "physnet1" }, false, new[] { 1 })] // SIM-37: the cell with the physnet
    [InlineData(new[] { "physnet9" }, false, new[] { 0 })] // no cell has it: any cell
    [InlineData(new string[0], true, new[] { 1 })] // the tunnelled cell
    [InlineData(new[] { "physnet1", "physnet2" }, false, null)] // two cells needed, one guest cell
    public void SIM37_NetworkAffinity_PicksOrRefusesCells(string[] physnets, bool tunneled, int[]? expected)
    {
        var host = new HostNumaTopology(
        [
            HostCell(0, 0, 4) with { Physnets = ["physnet2"] },
            HostCell(1, 4, 4) with { Physnets = ["physnet1"], Tunneled = true },
        ]);
        var options = new NumaFitOptions { Limits = new NumaLimits(16, 1.5, new NetworkMetadata(physnets.ToHashSet(), tunneled)) };

        HostCellIds(NumaFitter.Fit(host, Guest(1, 1, 1024), options)).ShouldBe(expected);
    }

    [Theory]
    [InlineData(3, 2048, 16.0, 1.5, true)] // NF-13: within the ratios
    [InlineData(13, 2048, 4.0, 1.5, false)] // 13 + 4 > 4 × 4
    [InlineData(0, 5000, 16.0, 1.5, false)] // 5000 + 2048 > 4096 × 1.5
    public void NF13_Limits_CapSharedUsage(long cpuUsage, long memoryUsage, double cpuRatio, double ramRatio, bool fits)
    {
        var host = new HostNumaTopology([HostCell(0, 0, 4) with { CpuUsage = cpuUsage, MemoryUsageMb = memoryUsage }]);
        var options = new NumaFitOptions { Limits = new NumaLimits(cpuRatio, ramRatio) };

        (NumaFitter.Fit(host, Guest(1, 4, 2048), options) is not null).ShouldBe(fits);
    }

    [Fact]
    public void NF13_MoreMemoryThanTheCell_DoesNotFitEvenWithOvercommit() =>
        NumaFitter.Fit(new HostNumaTopology([HostCell(0, 0, 4, 2048)]), Guest(1, 1, 3072), new NumaFitOptions { Limits = new NumaLimits(16, 2) })
            .ShouldBeNull();

    [Theory]
    [InlineData(MemoryPageSize.Any, 2048L)] // largest size with room first
    [InlineData(MemoryPageSize.Large, 2048L)]
    [InlineData(MemoryPageSize.Small, 4L)]
    [InlineData(2048L, 2048L)]
    [InlineData(1048576L, null)] // not offered by the cell
    public void NF13_PageSize_IsChosenFromTheCellsPages(long requested, long? chosen)
    {
        var cell = HostNumaCell.Create(0, 4096, [0, 1], [], [new NumaPages(2048, 512, 0)]);
        var fit = NumaFitter.Fit(new HostNumaTopology([cell]), Guest(1, 1, 1024, pageSizeKb: requested), new NumaFitOptions());

        fit?.Cells[0].PageSizeKb.ShouldBe(chosen);
        (fit is null).ShouldBe(chosen is null);
    }

    [Fact]
    public void NF13_PageCountsNear2To63_ComparedExactly()
    {
        var cell = HostNumaCell.Create(0, 4096, [0, 1], [], [new NumaPages(1L << 40, 1L << 40, Used: long.MinValue)]);

        NumaFitter.Fit(new HostNumaTopology([cell]), Guest(1, 1, 1024, pageSizeKb: MemoryPageSize.Large), new NumaFitOptions())
            .ShouldBeNull(); // room for the memory, but 1 GiB is not a multiple of the page size
    }

    [Fact]
    public void NF13_HugePagesInUse_AreNotFree()
    {
        var cell = HostNumaCell.Create(0, 4096, [0, 1], [], [new NumaPages(2048, 512, Used: 100, Reserved: 12)]);

        NumaFitter.Fit(new HostNumaTopology([cell]), Guest(1, 1, 1024, pageSizeKb: 2048), new NumaFitOptions()).ShouldBeNull();
    }

    [Fact]
    public void NF13_WithoutPageSize_SmallPagesLeftBesideHugePagesMustHoldTheMemory()
    {
        // 4096 MB with 1024 × 2 MiB huge pages leaves 2048 MB of 4 KiB pages.
        var cell = HostNumaCell.Create(0, 4096, [0, 1], [], [new NumaPages(2048, 1024, 0)]);

        cell.Pages[0].ShouldBe(new NumaPages(4, 524288, 0));
        NumaFitter.Fit(new HostNumaTopology([cell]), Guest(1, 1, 3072), new NumaFitOptions()).ShouldBeNull();
    }

    [Fact]
    public void NF12_IsolatedEmulatorThreads_ReserveOneMoreCpuNextToTheFirstCell()
    {
        var host = new HostNumaTopology([HostCell(0, 0, 4), HostCell(1, 4, 4)]);
        var fit = NumaFitter.Fit(host, Guest(2, 2, 1024, CpuPolicy.Dedicated, emulatorThreads: EmulatorThreadsPolicy.Isolate), new NumaFitOptions())!;

        fit.Cells[0].CpusetReserved.ShouldBe([2]);
        fit.Cells[1].CpusetReserved.ShouldBeNull();
        fit.Cells.Select(c => c.CpuPinning!.Values.Order().ToArray()).ShouldBe([[0, 1], [4, 5]]);
    }

    [Fact]
    public void NF12_NoRoomForTheEmulatorCpu_DoesNotFit() =>
        NumaFitter.Fit(new HostNumaTopology([HostCell(0, 0, 2)]),
            Guest(1, 2, 1024, CpuPolicy.Dedicated, emulatorThreads: EmulatorThreadsPolicy.Isolate), new NumaFitOptions()).ShouldBeNull();

    [Fact]
    public void NF11_PageSizeChosenOnOneCell_StaysForTheOthers()
    {
        // Nova narrows "any" to 2048 on cell 0 (which then fails on CPUs) and never widens it again: cell 1 offers
        // only 4 KiB pages, so the guest fits nowhere, although "any" would fit cell 1.
        var host = new HostNumaTopology(
        [
            HostNumaCell.Create(0, 4096, [], [], [new NumaPages(2048, 1024, 0)]),
            HostNumaCell.Create(1, 4096, [0, 1], []),
        ]);

        NumaFitter.Fit(host, Guest(1, 1, 1024, pageSizeKb: MemoryPageSize.Any), new NumaFitOptions()).ShouldBeNull();
    }

    private static int[]? HostCellIds(FittedNumaTopology? fit) => fit?.Cells.Select(c => c.HostCellId).ToArray();
}

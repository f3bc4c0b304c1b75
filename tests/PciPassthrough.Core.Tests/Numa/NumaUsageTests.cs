using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Numa;
using static PciPassthrough.Testing.Numa.NumaBuilders;

namespace PciPassthrough.Core.Tests.Numa;

/// <summary>SIM-38: claims add a guest's usage to its host cells, deletes subtract it.</summary>
public sealed class NumaUsageTests
{
    private static readonly HostNumaTopology _host = new(
    [
        HostNumaCell.Create(0, 4096, [0, 1, 2, 3], [4, 5, 6, 7], [new NumaPages(2048, 512, 0)], siblings: [[4, 5], [6, 7]]),
        HostNumaCell.Create(1, 4096, [8, 9], [10, 11]),
    ]);

    [Fact]
    public void SIM38_SharedGuest_AddsMemoryCpusAndSmallPages()
    {
        var used = NumaUsage.Add(_host, Fit(Guest(1, 2, 1024)));

        var cell = used.Cells[0];
        (cell.MemoryUsageMb, cell.CpuUsage).ShouldBe(((Int128)1024, (Int128)2));
        cell.Pages.Select(p => p.Used).ShouldBe([262144, 0]); // 1024 MiB of 4 KiB pages
        cell.PinnedCpus.ShouldBeEmpty();
        used.Cells[1].ShouldBe(_host.Cells[1]);
    }

    [Fact]
    public void SIM38_HugePageGuest_UsesPagesOfItsSize()
    {
        var used = NumaUsage.Add(_host, Fit(Guest(1, 1, 1024, pageSizeKb: 2048)));

        used.Cells[0].Pages.Select(p => p.Used).ShouldBe([0, 512]);
    }

    [Fact]
    public void SIM38_DedicatedGuest_PinsItsCpusAndTheReservedOne()
    {
        var fit = Fit(Guest(1, 1, 512, CpuPolicy.Dedicated, emulatorThreads: EmulatorThreadsPolicy.Isolate));
        var used = NumaUsage.Add(_host, fit);

        used.Cells[0].PinnedCpus.ShouldBe([4, 5]); // guest CPU on 4, emulator threads on 5
        used.Cells[0].CpuUsage.ShouldBe(0);
    }

    [Fact]
    public void SIM38_IsolateGuest_PinsWholeSiblingSets()
    {
        var host = new HostNumaTopology([HostNumaCell.Create(0, 4096, [4, 5, 6, 7], [4, 5, 6, 7], siblings: [[4, 5], [6, 7]])]);
        var fit = NumaFitter.Fit(host, Guest(1, 1, 512, CpuPolicy.Dedicated, CpuThreadPolicy.Isolate), new NumaFitOptions())!;

        var used = NumaUsage.Add(host, fit);
        used.Cells[0].PinnedCpus.ShouldBe([4, 5]);
        NumaUsage.Subtract(used, fit).Cells[0].PinnedCpus.ShouldBeEmpty();
    }

    [Fact]
    public void SIM38_SIM39_IsolateGuestsEmulatorThreadInASetAnotherGuestHoldsPartOf_IsCPUPinningInvalid()
    {
        var host = new HostNumaTopology([HostNumaCell.Create(0, 4096, [.. Enumerable.Range(0, 8)], [.. Enumerable.Range(0, 8)],
            siblings: [[0, 1, 2, 3], [4, 5, 6, 7]])]);
        var held = NumaUsage.Add(host, NumaFitter.Fit(host, Guest(1, 3, 256, CpuPolicy.Dedicated), new NumaFitOptions())!);
        var fit = NumaFitter.Fit(held, Guest(1, 1, 256, CpuPolicy.Dedicated, CpuThreadPolicy.Isolate,
            emulatorThreads: EmulatorThreadsPolicy.Isolate), new NumaFitOptions())!;

        held.Cells[0].PinnedCpus.ShouldBe([0, 1, 2]);
        fit.Cells[0].CpuPinning!.Values.ShouldBe([4]);
        fit.Cells[0].CpusetReserved.ShouldBe([3]); // in the set a holds part of
        var error = Should.Throw<PciException>(() => NumaUsage.Add(held, fit)).Error;
        error.Kind.ShouldBe("CPUPinningInvalid");
        error.Message.ShouldBe("CPU set to pin [0, 1, 2, 3, 4, 5, 6, 7] must be a subset of free CPU set [3, 4, 5, 6, 7]");
    }

    [Fact]
    public void SIM38_Delete_RestoresTheHostAndNeverGoesBelowZero()
    {
        var fit = Fit(Guest(1, 2, 1024, pageSizeKb: MemoryPageSize.Small));

        Usage(NumaUsage.Subtract(NumaUsage.Add(_host, fit), fit)).ShouldBe(Usage(_host));
        Usage(NumaUsage.Subtract(_host, fit)).ShouldBe(Usage(_host));
    }

    [Fact]
    public void SIM38_HugePageUse_IsNovasFloatSumTruncated_EvenPast2Pow63()
    {
        // 2^63 − 1000 + 512 is no double: the float sum is exactly 2^63, which Nova stores as an int
        var host = new HostNumaTopology([HostNumaCell.Create(0, 4096, [0, 1], [], [new NumaPages(2048, long.MaxValue, Used: long.MaxValue - 999)])]);
        var fit = NumaFitter.Fit(host, Guest(1, 1, 1024, pageSizeKb: 2048), new NumaFitOptions())!;

        var used = NumaUsage.Add(host, fit);

        used.Cells[0].Pages[1].Used.ShouldBe(Int128.One << 63);
        used.Cells[0].Pages[1].Free.ShouldBe(-1);
        NumaUsage.Subtract(used, fit).Cells[0].Pages[1].Used.ShouldBe(Int128.One << 63); // 2^63 − 512 rounds back up
    }

    [Fact]
    public void SIM38_MemoryAndCpuUsage_AreExactPast2Pow63()
    {
        var host = new HostNumaTopology([HostNumaCell.Create(0, 4096, [0, 1], []) with { MemoryUsageMb = long.MaxValue, CpuUsage = long.MaxValue }]);

        var used = NumaUsage.Add(host, NumaFitter.Fit(host, Guest(1, 2, 1024), new NumaFitOptions())!);

        (used.Cells[0].MemoryUsageMb, used.Cells[0].CpuUsage).ShouldBe(((Int128)long.MaxValue + 1024, (Int128)long.MaxValue + 2));
    }

    private static string[] Usage(HostNumaTopology host) =>
        [.. host.Cells.Select(c => $"{c.MemoryUsageMb}/{c.CpuUsage}/{string.Join(',', c.PinnedCpus)}/{string.Join(',', c.Pages.Select(p => p.Used))}")];

    private static FittedNumaTopology Fit(GuestNumaTopology guest) => NumaFitter.Fit(_host, guest, new NumaFitOptions())!;
}

using CsCheck;
using PciPassthrough.Host.Topology;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Host.Tests.Topology;

public sealed class NumaTopologyReaderTests
{
    [Fact]
    public void Read_TwoNodes_GivesOneCellPerNodeWithSocketMemoryAndSiblings()
    {
        using var host = FakeSysfsHosts.DualSocketSriov().Build();

        var cells = new NumaTopologyReader(host.Root).Read();

        cells.Select(c => (c.Id, c.Socket, c.MemoryMb)).ShouldBe([(0, 0, 65536L), (1, 1, 65536L)]);
        cells[0].Cpus.ShouldBe(Enumerable.Range(0, 16));
        cells[1].Cpus.ShouldBe(Enumerable.Range(16, 16));
        cells[1].Siblings.Count.ShouldBe(8);
        cells[1].Siblings[0].ShouldBe([16, 17]);
        cells[1].Siblings[7].ShouldBe([30, 31]);
    }

    [Fact]
    public void Read_NoNodeDirectories_IsOneCellWithEveryOnlineCpuAndMemTotal()
    {
        using var host = FakeSysfsHosts.NoNuma().Build();

        var cell = new NumaTopologyReader(host.Root).Read().ShouldHaveSingleItem();

        (cell.Id, cell.Socket, cell.MemoryMb).ShouldBe((0, 0, 8192L));
        cell.Cpus.ShouldBe([0, 1, 2, 3]);
        cell.Siblings.Select(s => s.Single()).ShouldBe([0, 1, 2, 3]);
    }

    [Fact]
    public void Read_SiblingOutsideTheCell_IsLeftOut()
    {
        using var host = new FakeSysfsBuilder()
            .WithNumaNode(0, socket: 0, cpus: [0, 1], memoryMb: 1024)
            .WithNumaNode(1, socket: 0, cpus: [2, 3], memoryMb: 1024)
            .Build();
        foreach (var (cpu, siblings) in new[] { (0, "0,2"), (2, "0,2"), (1, "1,3"), (3, "1,3") })
        {
            File.WriteAllText(Path.Combine(host.Root, $"sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list"), siblings);
        }

        var cells = new NumaTopologyReader(host.Root).Read();

        cells[0].Siblings.ShouldBe([[0], [1]]);
        cells[1].Siblings.ShouldBe([[2], [3]]);
    }

    [Fact]
    public void Read_NothingReadable_IsOneEmptyCell()
    {
        var root = Directory.CreateTempSubdirectory("numa-empty-").FullName;
        try
        {
            var cell = new NumaTopologyReader(root).Read().ShouldHaveSingleItem();

            (cell.Id, cell.Socket, cell.MemoryMb, cell.Cpus.Count).ShouldBe((0, null, 0L, 0));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Read_ThisMachine_EveryOnlineCpuIsInExactlyOneCell()
    {
        var cells = new NumaTopologyReader("/").Read();
        var online = NumaTopologyReader.ParseCpuList(File.ReadAllText("/sys/devices/system/cpu/online"));

        cells.ShouldNotBeEmpty();
        cells.Select(c => c.Id).ShouldBeUnique();
        cells.Sum(c => c.MemoryMb).ShouldBeGreaterThan(0);
        cells.SelectMany(c => c.Cpus).Order().ShouldBe(online);
        cells.ShouldAllBe(c => c.Siblings.SelectMany(s => s).Order().SequenceEqual(c.Cpus));
    }

    [Theory]
    [InlineData("0-3,8-11\n", new[] { 0, 1, 2, 3, 8, 9, 10, 11 })]
    [InlineData("5", new[] { 5 })]
    [InlineData("", new int[0])]
    [InlineData("3-1,x,7", new[] { 7 })] // a reversed range and garbage are skipped
    [InlineData("2,0-2", new[] { 0, 1, 2 })] // sorted, no duplicates
    [InlineData("0-2147483647,4", new[] { 4 })] // past any CPU id: once an overflow, or billions of CPUs
    [InlineData("65536,1,65534-65535", new[] { 1, 65534, 65535 })]
    public void ParseCpuList_KernelForm_GivesSortedCpus(string text, int[] expected) =>
        NumaTopologyReader.ParseCpuList(text).ShouldBe(expected);

    [Fact]
    public void ParseCpuList_AnyText_GivesSortedDistinctCpusNeverAnException() =>
        Gen.String[Gen.Char["0123456789-, \n^x"], 0, 32].Sample(text =>
        {
            var cpus = NumaTopologyReader.ParseCpuList(text);

            cpus.ShouldBe(cpus.Distinct().Order());
            cpus.ShouldAllBe(cpu => cpu >= 0 && cpu <= 65535);
        });
}

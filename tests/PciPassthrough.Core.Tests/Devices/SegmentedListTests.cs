using System.Reflection;
using CsCheck;
using PciPassthrough.Core.Devices;

namespace PciPassthrough.Core.Tests.Devices;

public sealed class SegmentedListTests
{
    // 8-byte elements: 8,192 per 64 KiB chunk, so these sizes cross one and two chunk boundaries
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(8_192)]
    [InlineData(8_193)]
    [InlineData(20_000)]
    public void Add_AnyCount_KeepsOrderAcrossChunks(int count)
    {
        var list = new SegmentedList<long>();
        list.AddRange(Enumerable.Range(0, count).Select(i => (long)i));
        (list.Count, list.Sum(), count == 0 ? -1 : list[count - 1]).ShouldBe((count, (long)count * (count - 1) / 2, count - 1L));
        list.ShouldBe(Enumerable.Range(0, count).Select(i => (long)i));
    }

    [Fact]
    public void Add_20000References_NoArrayReachesTheLargeObjectHeap()
    {
        var list = new SegmentedList<object>();
        list.AddRange(Enumerable.Repeat(new object(), 20_000));
        var chunks = (object[][])typeof(SegmentedList<object>)
            .GetField("_chunks", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(list)!;
        chunks.Where(c => c is not null).Select(c => c.Length * IntPtr.Size).ShouldAllBe(bytes => bytes < 85_000);
        chunks.Count(c => c is not null).ShouldBe(3);
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        var list = new SegmentedList<int> { 1, 2 };
        Should.Throw<ArgumentOutOfRangeException>(() => list[2]);
        Should.Throw<ArgumentOutOfRangeException>(() => list[-1]);
    }

    [Fact]
    public void RemoveAll_AnyPredicate_MatchesList()
    {
        Gen.Int[0, 3].Array[0, 20_000].Select(Gen.Int[1, 4]).Sample((items, divisor) =>
        {
            var list = new SegmentedList<int>();
            list.AddRange(items);
            list.RemoveAll(i => i % divisor == 0);
            var expected = items.Where(i => i % divisor != 0).ToList();
            list.Add(7);
            expected.Add(7);
            list.ShouldBe(expected);
        }, iter: 50);
    }

    [Fact]
    public void Clear_ThenAdd_StartsOver()
    {
        var list = new SegmentedList<int> { 1, 2, 3 };
        list.Clear();
        list.Add(4);
        list.ShouldBe([4]);
    }
}

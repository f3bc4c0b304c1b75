using PciPassthrough.Core.Numa;

namespace PciPassthrough.Core.Tests.Numa;

/// <summary>SIM-39: the iteration order of CPython 3.11 integer sets (expected values printed by CPython itself).</summary>
public sealed class PythonIntSetTests
{
    [Theory]
    [InlineData(new[] { 3, 11 }, new[] { 11, 3 })] // 11 collides with 3 in 8 slots and jumps to slot 0
    [InlineData(new[] { 7, 8 }, new[] { 8, 7 })] // slot order, not value order
    [InlineData(new[] { 28, 23, 30, 22 }, new[] { 28, 22, 30, 23 })]
    [InlineData(new[] { 0, 8, 16, 24 }, new[] { 0, 8, 16, 24 })]
    [InlineData(new[] { 9, 1, 17, 25, 33 }, new[] { 33, 1, 9, 17, 25 })] // the fifth item grows the table to 32 slots
    [InlineData(new[] { -1, -2, 6 }, new[] { 6, -1, -2 })] // hash(-1) is -2
    public void SIM39_SetOfIntegers_IteratesInCPythonSlotOrder(int[] items, int[] expected) =>
        PythonIntSet.Of(items).Order().ShouldBe(expected);

    [Fact]
    public void SIM39_EighteenItems_StayInThirtyTwoSlots() =>
        PythonIntSet.Of(Enumerable.Range(0, 18).Select(i => i * 32)).Order().ShouldBe(Enumerable.Range(0, 18).Select(i => i * 32));

    [Fact]
    public void SIM39_CopyIntoSmallerTable_ReinsertsInSlotOrder()
    {
        var original = PythonIntSet.Of([9, 1, 17, 25, 33, 41]); // 32 slots; a copy of 6 items gets 16

        original.Order().ShouldBe([33, 1, 9, 41, 17, 25]);
        PythonIntSet.CopyOf(original).Order().ShouldBe([33, 1, 17, 9, 25, 41]);
    }
}

namespace PciPassthrough.Core.Numa;

/// <summary>Memory pages of one size in a host cell (scenario-format §2.3.1 <c>hugepages</c>).</summary>
public sealed record NumaPages(long SizeKb, long Total, long Used = 0, long Reserved = 0)
{
    /// <summary>The small pages every cell has.</summary>
    public const long SmallSizeKb = 4;

    // exact like Python's integers: counts and sizes from a scenario may each be close to 2^63
    public Int128 Free => (Int128)Total - Used - Reserved;
    public Int128 FreeKb => Free * SizeKb;
    public Int128 TotalKb => (Int128)Total * SizeKb;
}

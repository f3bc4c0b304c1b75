namespace PciPassthrough.Core.Numa;

/// <summary>Memory pages of one size in a host cell (scenario-format §2.3.1 <c>hugepages</c>).</summary>
public sealed record NumaPages(long SizeKb, long Total, long Used = 0, long Reserved = 0)
{
    /// <summary>The small pages every cell has.</summary>
    public const long SmallSizeKb = 4;

    public long Free => Total - Used - Reserved;
    public long FreeKb => Free * SizeKb;
    public long TotalKb => Total * SizeKb;
}

using System.Numerics;

namespace PciPassthrough.Core.Numa;

/// <summary>
/// Memory pages of one size in a host cell (scenario-format §2.3.1 <c>hugepages</c>). Counts are Python ints in the
/// reference: the 4 KiB pages of a cell near 2^63 MiB, and <c>used</c> after claims (SIM-38), go past 64 bits.
/// <c>Used</c> has no default: an <see cref="Int128"/> default breaks the OpenAPI schema of the controller's API.
/// </summary>
public sealed record NumaPages(long SizeKb, Int128 Total, Int128 Used, long Reserved = 0)
{
    /// <summary>The small pages every cell has.</summary>
    public const long SmallSizeKb = 4;

    public Int128 Free => Total - Used - Reserved;

    // exact like Python's integers: a count past 2^64 times a size near 2^63 leaves Int128
    public BigInteger FreeKb => (BigInteger)Free * SizeKb;
    public BigInteger TotalKb => (BigInteger)Total * SizeKb;
}

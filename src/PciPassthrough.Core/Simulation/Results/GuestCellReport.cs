using System.Numerics;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>
/// One requested guest cell. <see cref="PagesizeKb"/>: null, −1 small, −2 large, −3 any, or a size in KiB.
/// </summary>
public sealed record GuestCellReport(
    int GuestCell,
    IReadOnlyList<int> SharedCpus,
    IReadOnlyList<int> DedicatedCpus,
    long MemoryMb,
    BigInteger? PagesizeKb,
    string? CpuPolicy,
    string? CpuThreadPolicy);

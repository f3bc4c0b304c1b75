using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>The parsed <c>[pci] alias</c> set (§4.2); <see cref="Aliases"/> is null when parsing failed.</summary>
public sealed record AliasReport(PciError? Error, IReadOnlyList<AliasEntry>? Aliases)
{
    public bool Ok => Error is null;
}

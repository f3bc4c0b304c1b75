using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Config;

/// <summary>One problem found by <see cref="PciAliasSet.Check"/>.</summary>
/// <param name="LineIndex">0-based index of the <c>alias</c> option line, or null for a whole-set check (03 RQ-9).</param>
/// <param name="Error">The <c>PciInvalidAlias</c> problem, naming the line, the key, the value and what is valid.</param>
public sealed record PciAliasError(int? LineIndex, PciError Error);

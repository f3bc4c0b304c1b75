namespace PciPassthrough.Core.Config;

/// <summary>The aliases of the lines that are valid, and every problem of the option (for <c>pcictl config check</c>).</summary>
/// <param name="Aliases">Aliases built from the lines without a problem of their own; whole-set problems (03 RQ-9)
/// are only in <paramref name="Errors"/>.</param>
/// <param name="Errors">Every problem, line problems in line order, then whole-set ones.</param>
public sealed record PciAliasCheckResult(PciAliasSet Aliases, IReadOnlyList<PciAliasError> Errors);

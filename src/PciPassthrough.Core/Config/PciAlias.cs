using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Config;

/// <summary>
/// One named alias of <c>[pci] alias</c> (03 RQ-7, RQ-8): what a flavor's <c>pci_passthrough:alias</c> asks for.
/// </summary>
/// <param name="Name">The trimmed name.</param>
/// <param name="NumaPolicy">The policy of its entries (<c>legacy</c> when none was written).</param>
/// <param name="Specs">One property map per alias line of this name, in line order; a device satisfying ANY of them
/// fits. Each map is the line's object without <c>name</c> and <c>numa_policy</c>, with <c>device_type</c> renamed
/// <c>dev_type</c>, values as written (case kept).</param>
public sealed record PciAlias(string Name, PciNumaPolicy NumaPolicy, IReadOnlyList<IReadOnlyDictionary<string, string?>> Specs);

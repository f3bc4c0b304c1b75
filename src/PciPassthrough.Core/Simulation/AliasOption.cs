using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// The global <c>[pci] alias</c> option, parsed once per scenario. A bad option is reported (§4.2) and fails only the
/// boots that use an alias (SIM-31 stage <c>pci_requests</c>).
/// </summary>
internal sealed record AliasOption(PciAliasSet? Set, PciError? Error)
{
    public static AliasOption Parse(IReadOnlyList<string> lines, NovaRelease release)
    {
        try
        {
            return new AliasOption(PciAliasSet.Parse(lines, new PciAliasOptions { Release = release }), null);
        }
        catch (PciException e)
        {
            return new AliasOption(null, e.Error);
        }
    }

    /// <exception cref="PciException">The option's <c>PciInvalidAlias</c>.</exception>
    public PciAliasSet Parsed() => Set ?? throw new PciException(Error!);
}

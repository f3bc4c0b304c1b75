using System.Diagnostics.CodeAnalysis;

namespace PciPassthrough.Core.Config;

/// <summary>The parsed <c>[pci] alias</c> option (03 §2): aliases by name, in first-seen order.</summary>
public sealed class PciAliasSet
{
    private readonly OrderedDictionary<string, PciAlias> _byName;

    internal PciAliasSet(OrderedDictionary<string, PciAlias> byName) => _byName = byName;

    /// <summary>In the order their names first appear.</summary>
    public IReadOnlyList<PciAlias> Aliases => [.. _byName.Values];

    public bool TryGet(string name, [NotNullWhen(true)] out PciAlias? alias) => _byName.TryGetValue(name, out alias);

    /// <summary>Parses every line; the first problem throws, as an API or compute service does at start (03 RQ-11).</summary>
    /// <exception cref="Errors.PciException"><c>PciInvalidAlias</c> naming the line, the key and what is valid.</exception>
    public static PciAliasSet Parse(IReadOnlyList<string> lines, PciAliasOptions? options = null) =>
        PciAliasParser.Run(lines, options ?? new PciAliasOptions(), stopAtFirst: true).Set;

    /// <summary>Every problem of the option, each with its line, and the aliases of the valid lines (for
    /// <c>pcictl config check</c>); never throws for bad input.</summary>
    public static PciAliasCheckResult Check(IReadOnlyList<string> lines, PciAliasOptions? options = null)
    {
        var parser = PciAliasParser.Run(lines, options ?? new PciAliasOptions(), stopAtFirst: false);
        return new PciAliasCheckResult(parser.Set, parser.Errors);
    }
}

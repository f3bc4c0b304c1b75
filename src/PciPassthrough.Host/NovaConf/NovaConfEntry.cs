namespace PciPassthrough.Host.NovaConf;

/// <summary>One <c>key = value</c> assignment of a <c>nova.conf</c> file.</summary>
/// <param name="Section">The section name as written (<c>[PCI]</c> gives <c>PCI</c>).</param>
/// <param name="Key">The option name as written; oslo.config compares it case-sensitively.</param>
/// <param name="Value">The value with continuation lines joined by <c>\n</c> and one pair of matching outer
/// quotes removed.</param>
/// <param name="Location">The line of the key.</param>
public sealed record NovaConfEntry(string Section, string Key, string Value, ConfLocation Location)
{
    /// <summary>The section as oslo.config looks it up (see <see cref="NovaConfFile.NormalizeSection"/>).</summary>
    public string Group => NovaConfFile.NormalizeSection(Section);

    /// <summary>How an operator names the option: <c>[pci] device_spec</c>.</summary>
    public string OptionName => $"[{Section}] {Key}";
}

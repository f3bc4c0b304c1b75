namespace PciPassthrough.Core.Requests;

/// <summary>The flavor extra spec <c>pci_passthrough:alias</c>: <c>&lt;alias&gt;:&lt;count&gt;[, …]</c> (03 §3).</summary>
public static class PciAliasExtraSpec
{
    public const string Key = "pci_passthrough:alias";
}

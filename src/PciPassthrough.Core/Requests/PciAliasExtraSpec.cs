using System.Text.RegularExpressions;
using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Requests;

/// <summary>The flavor extra spec <c>pci_passthrough:alias</c>: <c>&lt;alias&gt;:&lt;count&gt;[, …]</c> (03 §3).</summary>
public static partial class PciAliasExtraSpec
{
    public const string Key = "pci_passthrough:alias";

    /// <summary>
    /// 03 RQ-14, the flavor-edit check: the whole value must be <c>name:count</c> items joined by commas. Alias
    /// existence is not checked here. Null when valid.
    /// </summary>
    public static PciError? Validate(string value) => FlavorValue().IsMatch(Flavors.PythonText.WithBmpDigits(value)) ? null : new PciError(
        PciErrorKinds.ValidationError,
        $"{Key} '{value}' is not valid; expected <alias name>:<count> items separated by commas, e.g. 'gpu:1, nic:2' " +
        "(a name has no ':', a count is digits only).");

    [GeneratedRegex(@"\A[^:]+:\d+(?:\s*,\s*[^:]+:\d+)*\z")]
    private static partial Regex FlavorValue();
}

using System.Text;
using PciPassthrough.Core.Flavors;

namespace PciPassthrough.Core.Placement;

/// <summary>
/// Resource class and trait names of PCI providers (06 PM-9…PM-11): configured names are upper-cased and, unless
/// standard or already <c>CUSTOM_</c>, turned into custom names the way <c>os-traits</c> / <c>os-resource-classes</c>
/// do it.
/// </summary>
public static class PlacementNames
{
    public const string CustomPrefix = "CUSTOM_";

    /// <summary>PM-9: the configured <c>resource_class</c> normalised, else <c>CUSTOM_PCI_&lt;VENDOR&gt;_&lt;PRODUCT&gt;</c>.</summary>
    public static string ResourceClassOf(string vendorId, string productId, string? configured) =>
        string.IsNullOrEmpty(configured)
            ? PythonText.Upper($"{CustomPrefix}PCI_{vendorId}_{productId}")
            : NormalizeResourceClass(configured);

    /// <summary>PM-10: upper-case; keep a standard or <c>CUSTOM_</c> name, else make it custom (not sanitised further).</summary>
    public static string NormalizeResourceClass(string name)
    {
        var upper = PythonText.Upper(name);
        return StandardNames.ResourceClasses.Contains(upper) || upper.StartsWith(CustomPrefix, StringComparison.Ordinal)
            ? upper
            : ToCustom(upper);
    }

    /// <summary>
    /// PM-11: the configured <c>traits</c> split on <c>,</c> (items not trimmed), each kept when exactly standard,
    /// else upper-cased and kept when <c>CUSTOM_</c>, else made custom. Duplicates collapse.
    /// </summary>
    public static IReadOnlySet<string> NormalizeTraits(string? configured, NovaRelease release)
    {
        var traits = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(configured))
        {
            return traits;
        }

        var standard = StandardNames.TraitsOf(release);
        foreach (var item in configured.Split(','))
        {
            if (standard.Contains(item))
            {
                traits.Add(item);
                continue;
            }

            var upper = PythonText.Upper(item);
            traits.Add(upper.StartsWith(CustomPrefix, StringComparison.Ordinal) ? upper : ToCustom(upper));
        }

        return traits;
    }

    /// <summary><c>normalize_name</c>: every run of characters outside <c>[A-Za-z0-9]</c> becomes one <c>_</c>.</summary>
    private static string ToCustom(string upper)
    {
        var name = new StringBuilder(CustomPrefix, CustomPrefix.Length + upper.Length);
        var inRun = false;
        foreach (var c in upper)
        {
            var keep = char.IsAsciiLetterOrDigit(c);
            if (keep)
            {
                name.Append(c);
            }
            else if (!inRun)
            {
                name.Append('_');
            }

            inRun = !keep;
        }

        return name.ToString();
    }
}

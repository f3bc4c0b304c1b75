using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Requests;

/// <summary>The one PCI NUMA affinity policy of a server request (03 RQ-20).</summary>
public static class PciNumaPolicyResolver
{
    public const string FlavorKey = "hw:pci_numa_affinity_policy", ImageKey = "hw_pci_numa_affinity_policy";

    /// <summary>
    /// Flavor value if set, else image value; null when neither is set (behaves as legacy, RQ-22). An empty value is
    /// unset.
    /// </summary>
    /// <exception cref="PciException"><c>ImagePCINUMAPolicyForbidden</c> when both are set and differ (checked first),
    /// <c>InvalidPCINUMAAffinity</c> when the effective value is not a policy.</exception>
    public static PciNumaPolicy? Resolve(string? flavorValue, string? imageValue)
    {
        var flavorSet = !string.IsNullOrEmpty(flavorValue);
        if (flavorSet && !string.IsNullOrEmpty(imageValue) && flavorValue != imageValue)
        {
            throw new PciException(PciErrorKinds.ImagePCINUMAPolicyForbidden,
                $"image property {ImageKey}={imageValue} conflicts with flavor extra spec {FlavorKey}={flavorValue}; " +
                "the image may not change the flavor's policy: make them equal or remove one.");
        }

        var (key, value) = flavorSet ? (FlavorKey, flavorValue) : (ImageKey, imageValue);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return PciNumaPolicies.TryParse(value, out var policy) ? policy : throw new PciException(
            PciErrorKinds.InvalidPCINUMAAffinity,
            $"{key}={value} is not a PCI NUMA affinity policy; expected one of {string.Join(", ", PciNumaPolicies.Names)}.");
    }
}

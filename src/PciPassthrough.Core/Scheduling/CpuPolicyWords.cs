namespace PciPassthrough.Core.Scheduling;

/// <summary>The CPU policy words of a flavor and an image, unresolved (the NUMATopologyFilter reads both, SIM-34).</summary>
public sealed record CpuPolicyWords(string? FlavorCpuPolicy, string? ImageCpuPolicy, string? FlavorThreadPolicy, string? ImageThreadPolicy)
{
    /// <summary>A <c>dedicated</c> guest that <c>require</c>s thread siblings, by either source.</summary>
    public bool RequiresSiblings =>
        (FlavorCpuPolicy == "dedicated" || ImageCpuPolicy == "dedicated")
        && (FlavorThreadPolicy == "require" || ImageThreadPolicy == "require");
}

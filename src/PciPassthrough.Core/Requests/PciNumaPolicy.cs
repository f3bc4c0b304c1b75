namespace PciPassthrough.Core.Requests;

/// <summary>PCI NUMA affinity policy of a request (03 §4). An unset policy behaves as <see cref="Legacy"/>.</summary>
public enum PciNumaPolicy
{
    Legacy,
    Required,
    Preferred,
    Socket,
}

public static class PciNumaPolicies
{
    /// <summary>The four words Nova accepts, lower-case.</summary>
    public static IReadOnlyList<string> Names { get; } = ["required", "legacy", "preferred", "socket"];

    public static string ToNovaName(this PciNumaPolicy policy) => policy switch
    {
        PciNumaPolicy.Legacy => "legacy",
        PciNumaPolicy.Required => "required",
        PciNumaPolicy.Preferred => "preferred",
        PciNumaPolicy.Socket => "socket",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    /// <summary>Parses one of the four words exactly (Nova's enum is case-sensitive).</summary>
    public static bool TryParse(string? text, out PciNumaPolicy policy)
    {
        (var ok, policy) = text switch
        {
            "legacy" => (true, PciNumaPolicy.Legacy),
            "required" => (true, PciNumaPolicy.Required),
            "preferred" => (true, PciNumaPolicy.Preferred),
            "socket" => (true, PciNumaPolicy.Socket),
            _ => (false, default),
        };
        return ok;
    }
}

namespace PciPassthrough.Core.Requests;

/// <summary>The flavor's <c>group_policy</c>: may numbered request groups share a provider (03 RQ-29, 06 PM-26)?</summary>
public enum GroupPolicy
{
    None,
    Isolate,
}

public static class GroupPolicies
{
    public const string Key = "group_policy";

    /// <summary>Parses <c>none</c> or <c>isolate</c> exactly; the scheduler ignores any other value (with a warning).</summary>
    public static bool TryParse(string? text, out GroupPolicy policy)
    {
        (var ok, policy) = text switch
        {
            "none" => (true, GroupPolicy.None),
            "isolate" => (true, GroupPolicy.Isolate),
            _ => (false, default),
        };
        return ok;
    }
}

using PciPassthrough.Core.Requests;

namespace PciPassthrough.Testing.Devices;

/// <summary>Short builders for PCI requests in pool tests.</summary>
public static class PciRequests
{
    /// <summary>An alias request of <paramref name="count"/> devices matching the one spec map <paramref name="spec"/>.</summary>
    public static PciRequest Alias(long count, string spec, PciNumaPolicy? policy = null, string requestId = "r1") => new()
    {
        Count = count,
        Specs = [Map(spec)],
        AliasName = "alias",
        NumaPolicy = policy,
        RequestId = requestId,
    };

    /// <summary>A port request (no alias) of one device matching <paramref name="spec"/>.</summary>
    public static PciRequest Port(string spec, string requestId = "p1") => new()
    {
        Count = 1,
        Specs = [Map(spec)],
        RequesterId = "port-0",
        RequestId = requestId,
    };

    /// <summary>A spec map from <c>key=value</c> pairs separated by <c>;</c>; <c>key=null</c> is a null value.</summary>
    public static IReadOnlyDictionary<string, string?> Map(string spec) =>
        spec.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1] == "null" ? null : kv[1]);
}

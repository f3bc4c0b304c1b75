namespace PciPassthrough.Core.Numa;

/// <summary>The lower-case words Nova uses for the CPU, thread and emulator-thread policies.</summary>
public static class NumaPolicyNames
{
    public static string ToNovaName(this CpuPolicy policy) => policy switch
    {
        CpuPolicy.Shared => "shared",
        CpuPolicy.Dedicated => "dedicated",
        CpuPolicy.Mixed => "mixed",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    public static string ToNovaName(this CpuThreadPolicy policy) => policy switch
    {
        CpuThreadPolicy.Prefer => "prefer",
        CpuThreadPolicy.Isolate => "isolate",
        CpuThreadPolicy.Require => "require",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    public static string ToNovaName(this EmulatorThreadsPolicy policy) => policy switch
    {
        EmulatorThreadsPolicy.Share => "share",
        EmulatorThreadsPolicy.Isolate => "isolate",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    public static CpuPolicy? ParseCpuPolicy(string? text) => text switch
    {
        "shared" => CpuPolicy.Shared,
        "dedicated" => CpuPolicy.Dedicated,
        "mixed" => CpuPolicy.Mixed,
        _ => null,
    };

    public static CpuThreadPolicy? ParseCpuThreadPolicy(string? text) => text switch
    {
        "prefer" => CpuThreadPolicy.Prefer,
        "isolate" => CpuThreadPolicy.Isolate,
        "require" => CpuThreadPolicy.Require,
        _ => null,
    };

    public static EmulatorThreadsPolicy? ParseEmulatorThreadsPolicy(string? text) => text switch
    {
        "share" => EmulatorThreadsPolicy.Share,
        "isolate" => EmulatorThreadsPolicy.Isolate,
        _ => null,
    };
}

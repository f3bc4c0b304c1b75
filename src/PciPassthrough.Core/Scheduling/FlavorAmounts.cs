namespace PciPassthrough.Core.Scheduling;

/// <summary>The sizes of a flavor the scheduler turns into resources (SIM-32); swap is in MiB.</summary>
public sealed record FlavorAmounts(long Vcpus, long MemoryMb, long RootGb = 0, long EphemeralGb = 0, long SwapMb = 0);

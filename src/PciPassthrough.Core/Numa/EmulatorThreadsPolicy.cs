namespace PciPassthrough.Core.Numa;

/// <summary>Where QEMU's emulator threads run (<c>hw:emulator_threads_policy</c>, 05 NF-12).</summary>
public enum EmulatorThreadsPolicy
{
    /// <summary>On the host's shared CPUs.</summary>
    Share,

    /// <summary>On one extra dedicated host CPU reserved next to guest cell 0 (<c>cpuset_reserved</c>).</summary>
    Isolate,
}

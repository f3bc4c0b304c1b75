namespace PciPassthrough.Core.Numa;

/// <summary>How guest CPUs map to host CPUs (<c>hw:cpu_policy</c> / <c>hw_cpu_policy</c>, 05 NF-2).</summary>
public enum CpuPolicy
{
    /// <summary>Guest CPUs float over the host's shared CPUs (VCPU inventory).</summary>
    Shared,

    /// <summary>Every guest CPU is pinned to its own dedicated host CPU (PCPU inventory).</summary>
    Dedicated,

    /// <summary>The guest CPUs of the dedicated mask are pinned, the others float.</summary>
    Mixed,
}

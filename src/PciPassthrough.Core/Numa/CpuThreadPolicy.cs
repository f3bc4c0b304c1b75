namespace PciPassthrough.Core.Numa;

/// <summary>How pinned guest CPUs use SMT siblings (<c>hw:cpu_thread_policy</c>, SIM-39).</summary>
public enum CpuThreadPolicy
{
    /// <summary>Siblings when available, any free CPUs otherwise.</summary>
    Prefer,

    /// <summary>One CPU per free core; the core's siblings are kept unused.</summary>
    Isolate,

    /// <summary>Sibling threads only; fails on hosts without SMT.</summary>
    Require,
}

namespace PciPassthrough.Core.Pools;

/// <summary>The steps of the filtering pipeline (04 PL-11), in order; the one after which too few devices were left.</summary>
public enum PoolFilterStep
{
    /// <summary>The request fits.</summary>
    None,

    /// <summary>Step 1: pools matching one of the request's spec maps (PL-8…PL-10).</summary>
    Spec,

    /// <summary>Step 2: NUMA affinity under the request's policy (PL-12, PL-13).</summary>
    Numa,

    /// <summary>Step 3: PFs that were not asked for.</summary>
    UnrequestedPhysicalFunctions,

    /// <summary>Steps 4 and 5: vDPA and remote-managed devices that were not asked for.</summary>
    UnrequestedVdpaOrRemoteManaged,

    /// <summary>Step 6: pools outside the Placement allocation (PL-16).</summary>
    PlacementAllocation,

    /// <summary>Step 7: live-migratable devices (or not) as every spec map asks.</summary>
    LiveMigratable,

    /// <summary>PL-14: nothing left, even for a request of count 0.</summary>
    NoPool,
}

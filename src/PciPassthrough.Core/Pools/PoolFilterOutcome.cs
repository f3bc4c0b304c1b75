namespace PciPassthrough.Core.Pools;

/// <summary>How one request fared in the filtering pipeline (04 §3).</summary>
/// <param name="FailedAt">The step after which too few devices were left, or <see cref="PoolFilterStep.None"/>.</param>
/// <param name="Matching">Free devices matching the request's specs (step 1).</param>
/// <param name="Left">Free devices left after the last step run.</param>
public readonly record struct PoolFilterOutcome(PoolFilterStep FailedAt, long Matching, long Left);

using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Placement;

/// <summary>What one PCI Placement update of a compute decided (06 PM-3).</summary>
/// <param name="View">The providers of its devices; null when reporting is off or the run was refused.</param>
/// <param name="Plan">What to write to Placement; null when reporting is off or the run was refused.</param>
/// <param name="Error">Why a periodic run was refused: logged, and the run goes on without a Placement update.</param>
public sealed record PciPlacementUpdate(PciPlacementView? View, PciPlacementPlan? Plan, PciError? Error)
{
    /// <summary>Reporting off: nothing to write.</summary>
    public static PciPlacementUpdate None { get; } = new(null, null, null);
}

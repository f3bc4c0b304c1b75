using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>A flavor extra spec the flavor API rejects (SIM-30); the boot continues anyway.</summary>
public sealed record ExtraSpecError(string Key, PciError Error);

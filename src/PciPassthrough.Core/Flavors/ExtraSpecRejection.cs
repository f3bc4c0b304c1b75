using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Flavors;

/// <summary>A flavor extra spec the flavor API rejects (SIM-30), with the <c>ValidationError</c> it raises.</summary>
public sealed record ExtraSpecRejection(string Key, PciError Error);

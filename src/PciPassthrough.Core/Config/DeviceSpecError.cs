using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Config;

/// <summary>One problem found by <see cref="DeviceSpecParser.Check"/>.</summary>
/// <param name="LineIndex">0-based index of the <c>device_spec</c> option line.</param>
/// <param name="EntryIndex">Position in the line's JSON list, or null when the line is one object or unreadable.</param>
/// <param name="Error">The problem; its message names the line, the spec, the value and what is valid.</param>
public sealed record DeviceSpecError(int LineIndex, int? EntryIndex, PciError Error);

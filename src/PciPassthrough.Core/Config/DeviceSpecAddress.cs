namespace PciPassthrough.Core.Config;

/// <summary>
/// The address part of a <c>device_spec</c> entry. Glob fields are <c>*</c> or zero-padded lower-case hex
/// (01 DS-11); regex fields are the expressions as written, <c>.*</c> when absent (01 DS-15).
/// </summary>
/// <param name="Kind">How the address was written.</param>
/// <param name="Domain">Domain field text.</param>
/// <param name="Bus">Bus field text.</param>
/// <param name="Slot">Slot field text.</param>
/// <param name="Function">Function field text.</param>
/// <param name="IsPhysicalFunction">The address is one SR-IOV PF, so the spec also selects its VFs (01 DS-20..22).</param>
public sealed record DeviceSpecAddress(
    DeviceSpecAddressKind Kind, string Domain, string Bus, string Slot, string Function, bool IsPhysicalFunction)
{
    /// <summary>All four fields are hex digits only (vacuously true for an empty regex field), 01 DS-20.</summary>
    public bool IsSingleAddress => IsHex(Domain) && IsHex(Bus) && IsHex(Slot) && IsHex(Function);

    /// <summary><c>domain:bus:slot.function</c> from the field texts, as the PF lookups use it.</summary>
    public override string ToString() => $"{Domain}:{Bus}:{Slot}.{Function}";

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigit);
}

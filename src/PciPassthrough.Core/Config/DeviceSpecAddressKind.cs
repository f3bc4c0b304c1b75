namespace PciPassthrough.Core.Config;

/// <summary>How a <c>device_spec</c> address was written.</summary>
public enum DeviceSpecAddressKind
{
    /// <summary>A string such as <c>*:0a:00.*</c> (01 §3): each field is <c>*</c> or normalised hex.</summary>
    Glob,

    /// <summary>An object of regular expressions per field (01 §4), matched as prefixes.</summary>
    Regex,
}

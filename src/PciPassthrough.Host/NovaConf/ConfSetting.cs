namespace PciPassthrough.Host.NovaConf;

/// <summary>The value of a single-valued option and where it was set; no location means Nova's default.</summary>
public readonly record struct ConfSetting<T>(T Value, ConfLocation? Location)
{
    public bool IsDefault => Location is null;
}

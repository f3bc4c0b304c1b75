namespace PciPassthrough.Host.NovaConf;

/// <summary>
/// Something Nova accepts silently but that probably does not do what the operator meant (an option it ignores,
/// a value overridden later); prints as <c>FILE:LINE: warning: message</c>.
/// </summary>
public sealed record NovaConfWarning(ConfLocation Location, string Message)
{
    public override string ToString() => $"{Location}: warning: {Message}";
}

using PciPassthrough.Core.Errors;

namespace PciPassthrough.Host.NovaConf;

/// <summary>A problem that stops Nova from starting, located in the file: prints as <c>FILE:LINE: kind: message</c>.</summary>
public sealed record NovaConfError(ConfLocation Location, PciError Error)
{
    /// <summary>oslo.config's exception for text that is not INI as it reads it.</summary>
    public const string ParseErrorKind = "ConfigFileParseError";

    /// <summary>oslo.config's exception for a value its option type refuses.</summary>
    public const string ValueErrorKind = "ConfigFileValueError";

    /// <summary>oslo.config's exception for a <c>$reference</c> it cannot substitute.</summary>
    public const string SubstitutionErrorKind = "TemplateSubstitutionError";

    public NovaConfError(ConfLocation location, string kind, string message)
        : this(location, new PciError(kind, message))
    {
    }

    public override string ToString() => $"{Location}: {Error.Kind}: {Error.Message}";
}

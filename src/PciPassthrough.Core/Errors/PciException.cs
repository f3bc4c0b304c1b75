namespace PciPassthrough.Core.Errors;

/// <summary>Carries a <see cref="PciError"/> out of a parser; callers catch this type only.</summary>
public sealed class PciException(PciError error) : Exception(error.Message)
{
    public PciError Error { get; } = error;

    public PciException(string kind, string message, bool novaException = true)
        : this(new PciError(kind, message, novaException))
    {
    }
}

namespace PciPassthrough.Core.Errors;

/// <summary>
/// One problem with operator or user input. <see cref="Kind"/> is named after Nova's exception class so logs
/// and scenario results line up; <see cref="Message"/> names the field, the value and what would be valid.
/// </summary>
/// <param name="Kind">Nova's exception class name, e.g. <c>PciConfigInvalidSpec</c>.</param>
/// <param name="Message">What is wrong and what would be valid.</param>
/// <param name="NovaException">False only for the generic runtime errors Nova lets escape
/// (<c>ValueError</c>, <c>TypeError</c>, <c>AttributeError</c>).</param>
public sealed record PciError(string Kind, string Message, bool NovaException = true)
{
    public override string ToString() => $"{Kind}: {Message}";
}

namespace PciPassthrough.Host.NovaConf;

/// <summary>Where a value or a problem is in a configuration file; prints as <c>FILE:LINE</c>.</summary>
/// <param name="File">The file name as the operator gave it.</param>
/// <param name="Line">1-based line number.</param>
public readonly record struct ConfLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

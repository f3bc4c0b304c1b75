namespace PciPassthrough.Testing.Scenarios;

/// <summary>The first difference between an expected and an actual <c>pcictl simulate</c> result.</summary>
/// <param name="Path">JSON path of the differing value, e.g. <c>$.requests[3].hosts.cmp-01.fits</c>.</param>
/// <param name="Message">What was expected and what was found.</param>
public sealed record ResultDifference(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

namespace PciPassthrough.Host.Discovery;

/// <summary>Something discovery could not read or had to skip; never fatal.</summary>
/// <param name="Address">The function concerned, or null for the tree as a whole.</param>
/// <param name="Message">What happened and what it means for the device.</param>
/// <param name="Fix">What an operator can do about it.</param>
public sealed record DiscoveryWarning(string? Address, string Message, string Fix)
{
    public override string ToString() => Address is null ? Message : $"{Address}: {Message}";
}

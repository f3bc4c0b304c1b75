namespace PciPassthrough.Cli;

/// <summary>What <c>pcictl</c> returns to the shell; scripts rely on these numbers.</summary>
public static class ExitCodes
{
    /// <summary>The command did its job and found nothing wrong.</summary>
    public const int Ok = 0;

    /// <summary>The input was read and is invalid (e.g. a configuration Nova would refuse), or the controller refused
    /// the request (no valid host, unknown name, forbidden).</summary>
    public const int Invalid = 1;

    /// <summary>The input could not be read, or the command line itself is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The controller could not be reached, or failed (5xx); for <c>serve</c>, its PostgreSQL database.</summary>
    public const int Unreachable = 3;
}

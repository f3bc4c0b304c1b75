namespace PciPassthrough.Cli;

/// <summary>What <c>pcictl</c> returns to the shell; scripts rely on these numbers. Each verb's help says what they
/// mean for it; <c>host discover</c> and <c>host check</c> grade 0/1/2 like a monitoring check, and <c>simulate</c> follows scenario-format
/// SIM-2.</summary>
public static class ExitCodes
{
    /// <summary>The command did its job and found nothing wrong.</summary>
    public const int Ok = 0;

    /// <summary>The verb did its job and the answer is no: the configuration it was asked to judge is one Nova would
    /// refuse (<c>config check</c>), the controller refused the request (no valid host, unknown name, forbidden), or
    /// fewer servers fit than asked.</summary>
    public const int Invalid = 1;

    /// <summary>The verb could not do its job: the command line is wrong, or an input it needs cannot be read or used.
    /// For <c>host</c>, <c>agent</c> and <c>serve</c> a configuration Nova would refuse is such an input (a compute
    /// would not start with it), where for <c>config check</c> it is the answer (<see cref="Invalid"/>).</summary>
    public const int Usage = 2;

    /// <summary>The controller could not be reached, or failed (5xx); for <c>serve</c>, its PostgreSQL database.</summary>
    public const int Unreachable = 3;
}

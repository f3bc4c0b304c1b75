using System.CommandLine;
using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl config check FILE</c>: read, check, print, and say with the exit code whether Nova would start.</summary>
internal static class ConfigCheckCommand
{
    public const string TableFormat = "table", JsonFormat = "json";

    public static int Run(string path, string format, string? root, InvocationConfiguration invocation)
    {
        NovaConfFile file;
        try
        {
            file = NovaConfFile.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            invocation.Error.WriteLine($"pcictl: cannot read {path}: {FileError.Reason(path, e)}");
            return ExitCodes.Usage;
        }

        var report = ConfigCheck.Run(file, root);
        if (format == JsonFormat)
        {
            ConfigCheckJson.Write(report, invocation.Output);
        }
        else
        {
            ConfigCheckTable.Write(report, invocation.Output);
        }

        return report.IsValid ? ExitCodes.Ok : ExitCodes.Invalid;
    }
}

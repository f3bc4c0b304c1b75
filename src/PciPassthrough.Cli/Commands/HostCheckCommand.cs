using System.CommandLine;
using PciPassthrough.Host.Iommu;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl host check</c>: is this host ready for passthrough? Exit 0 pass, 1 warnings, 2 a failure.</summary>
internal static class HostCheckCommand
{
    public static int Run(string root, string? configPath, string format, InvocationConfiguration invocation)
    {
        if (HostConfig.Load(root, configPath, invocation.Error) is not ({ } inventory, _))
        {
            return HostConfig.Failure;
        }

        var report = ReadinessChecker.Check(HostIommuReader.Read(root), inventory);
        if (format == HostOptions.JsonFormat)
        {
            WriteJson(report, invocation.Output);
        }
        else
        {
            WriteTable(report, invocation.Output);
        }

        return report.ExitCode;
    }

    private static void WriteTable(ReadinessReport report, TextWriter output)
    {
        HostTextTable.Write(output, ["STATUS", "CHECK", "SUBJECT", "DETAIL"],
            [.. report.Checks.Select(c => (IReadOnlyList<string>)[Word(c.Status), c.Check, c.Subject ?? "-", c.Detail])]);
        var failing = report.Checks.Where(c => c is { Status: not CheckStatus.Pass, Fix: not null }).ToList();
        if (failing.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("What to do:");
            foreach (var check in failing)
            {
                output.WriteLine($"  {Word(check.Status)}  {check.Check}{(check.Subject is null ? "" : " " + check.Subject)}: {check.Fix}");
            }
        }

        var counts = report.Checks.CountBy(c => c.Status).ToDictionary();
        output.WriteLine();
        output.WriteLine($"{counts.GetValueOrDefault(CheckStatus.Pass)} passed, {counts.GetValueOrDefault(CheckStatus.Warn)} "
            + $"warned, {counts.GetValueOrDefault(CheckStatus.Fail)} failed: {Verdict(report.Worst)} (exit {report.ExitCode})");
    }

    /// <summary><c>{status, exit_code, checks: [{status, check, subject, detail, fix}]}</c>.</summary>
    private static void WriteJson(ReadinessReport report, TextWriter output) =>
        HostJson.Write(output, json =>
        {
            json.WriteString("status", Word(report.Worst));
            json.WriteNumber("exit_code", report.ExitCode);
            json.WriteStartArray("checks");
            foreach (var check in report.Checks)
            {
                json.WriteStartObject();
                json.WriteString("status", Word(check.Status));
                json.WriteString("check", check.Check);
                json.WriteString("subject", check.Subject);
                json.WriteString("detail", check.Detail);
                json.WriteString("fix", check.Fix);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });

    private static string Word(CheckStatus status) => status.ToString().ToLowerInvariant();

    private static string Verdict(CheckStatus worst) => worst switch
    {
        CheckStatus.Pass => "ready for PCI passthrough",
        CheckStatus.Warn => "usable, with warnings",
        _ => "not ready for PCI passthrough",
    };
}

using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using PciPassthrough.Core.Libvirt;

namespace PciPassthrough.Host.Agent;

/// <summary>
/// What the compute's libvirt can run (07 LV-18), asked the way an operator would: <c>virsh capabilities</c> lists the
/// guest architectures (<c>&lt;guest&gt;&lt;arch name=…&gt;</c>, one per QEMU emulator libvirt found) and
/// <c>virsh version</c> the library version (Nova compares <c>getLibVersion()</c>, the same number).
/// </summary>
public static partial class LibvirtProbe
{
    /// <summary>Nova's connection for the <c>kvm</c> and <c>qemu</c> virt types.</summary>
    public const string Uri = "qemu:///system";

    public static IReadOnlyList<string> CapabilitiesCommand { get; } = ["virsh", "-c", Uri, "capabilities"];

    public static IReadOnlyList<string> VersionCommand { get; } = ["virsh", "-c", Uri, "version"];

    /// <summary>How long libvirt may take to answer both questions.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>The hypervisor's capabilities, or null with the reason when libvirt does not answer.</summary>
    public static async Task<(HypervisorCapabilities? Capabilities, string? Problem)> ReadAsync(
        ICommandRunner runner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        CommandResult capabilities, version;
        try
        {
            capabilities = await runner.RunAsync(CapabilitiesCommand, timeout.Token);
            version = await runner.RunAsync(VersionCommand, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"virsh did not answer within {Timeout.TotalSeconds:0} s");
        }

        foreach (var (command, result) in new[] { (CapabilitiesCommand, capabilities), (VersionCommand, version) })
        {
            if (result.ExitCode != 0)
            {
                return (null, $"'{string.Join(' ', command)}' failed (exit {result.ExitCode}): {result.Error.Trim()}");
            }
        }

        var architectures = GuestArchitectures(capabilities.Output);
        return architectures is null ? (null, "'virsh capabilities' did not print a capabilities document")
            : LibraryVersion(version.Output) is not { } libvirt ? (null, "'virsh version' did not print 'Using library: libvirt X.Y.Z'")
            : (new HypervisorCapabilities(architectures, libvirt), null);
    }

    /// <summary>The architectures of the <c>&lt;guest&gt;</c> elements of a capabilities document; null when the
    /// text is not one.</summary>
    public static IReadOnlySet<string>? GuestArchitectures(string capabilitiesXml)
    {
        try
        {
            var document = XDocument.Parse(capabilitiesXml);
            return document.Root?.Name == "capabilities"
                ? document.Root.Elements("guest").Elements("arch").Select(a => (string?)a.Attribute("name"))
                    .OfType<string>().ToHashSet(StringComparer.Ordinal)
                : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>The version on <c>virsh version</c>'s <c>Using library: libvirt X.Y.Z</c> line.</summary>
    public static Version? LibraryVersion(string versionOutput) =>
        LibraryLine().Match(versionOutput ?? "") is { Success: true } match && Version.TryParse(match.Groups[1].Value, out var version)
            ? version
            : null;

    [GeneratedRegex(@"^Using library: libvirt (\d+\.\d+(?:\.\d+)?)\s*$", RegexOptions.Multiline)]
    private static partial Regex LibraryLine();
}

using System.Diagnostics;
using System.Xml.Linq;
using PciPassthrough.Core.Libvirt;

namespace PciPassthrough.Testing.Libvirt;

/// <summary>Wraps rendered elements in a minimal domain and checks it with libvirt's schema (<c>virt-xml-validate</c>,
/// Debian package <c>libvirt-clients</c>).</summary>
public static class LibvirtDomain
{
    public static XDocument Wrap(GuestPciXml xml, string arch = "x86_64", string machine = "q35") =>
        Wrap(xml.Devices, xml.Features, arch, machine);

    /// <summary>The same around the children of a <c>&lt;devices&gt;</c> element (the controller's domain-xml answer).</summary>
    public static XDocument Wrap(IEnumerable<XElement> devices, IReadOnlyCollection<XElement> features, string arch = "x86_64",
        string machine = "q35") =>
        new(new XElement("domain",
            new XAttribute("type", "kvm"),
            new XElement("name", "pci-passthrough-test"),
            new XElement("memory", "1048576"),
            new XElement("os", new XElement("type", new XAttribute("arch", arch), new XAttribute("machine", machine), "hvm")),
            features.Count > 0 ? new XElement("features", features) : null,
            new XElement("devices", devices)));

    /// <summary>What <c>virt-xml-validate FILE domain</c> says, with its exit code.</summary>
    public static (int ExitCode, string Output) Validate(XDocument domain)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pci-domain-{Guid.NewGuid():N}.xml");
        domain.Save(path);
        try
        {
            var start = new ProcessStartInfo("virt-xml-validate", [path, "domain"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)
                ?? throw new InvalidOperationException("virt-xml-validate did not start (apt-get install libvirt-clients).");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

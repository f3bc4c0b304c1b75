using System.Text;
using CsCheck;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.Iommu;
using PciPassthrough.Host.NovaConf;
using PciPassthrough.Host.Tests.Agent;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Host.Tests.Discovery;

/// <summary>
/// A copy of a host's sys/ tree (<c>--root</c>) may hold anything: every reader of it (discovery, NUMA topology,
/// IOMMU state, the readiness checks, the agent's host description) takes whatever a file holds as a value, a
/// warning or "absent", and never throws.
/// </summary>
public sealed class SysfsFuzzTests : IDisposable
{
    private const string Conf = """
        [pci]
        device_spec = {"vendor_id": "8086"}
        device_spec = {"address": "0000:3b:00.0"}
        device_spec = {"devname": "ens1f0"}
        """;

    private static readonly Gen<byte[]> _content = Gen.Frequency(
        (3, Gen.OneOf<string>("", "\n", "0x", "0x10de\n", "-1", "0xffffffffffffffff", "99999999999999999999", "0-2147483647",
            "0-4294967296", "2147483646-2147483647", "3-1", "0-3,^2", "0-3,8,10-11\n", "N/A", "-", ",", "1\u00000",
            "MemTotal: 18446744073709551615 kB", "MemTotal: -5 kB", "../../../../x", "/", "vfio-pci", "igb_uio",
            "intel_iommu=on iommu=pt", "type-PF").Select(text => Encoding.UTF8.GetBytes(text))),
        (3, Gen.String[Gen.Char["0123456789abcdefx-,:. \n^"], 0, 24].Select(text => Encoding.UTF8.GetBytes(text))),
        (1, Gen.Byte.Array[0, 64]));

    private readonly string _directory = Directory.CreateTempSubdirectory("pcictl-sysfs-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string> Hosts => [.. FakeSysfsHosts.All.Keys];

    [Theory]
    [MemberData(nameof(Hosts))]
    public void AnyFileContents_AreReadWithoutAnException(string kind)
    {
        using var host = FakeSysfsHosts.All[kind]().Build(Path.Combine(_directory, kind));
        var conf = NovaConfOptions.Read(NovaConfFile.Parse(Encoding.UTF8.GetBytes(Conf), "nova.conf"));
        // the real files only: a symlink's target is one of them
        var files = Directory.EnumerateFiles(host.Root, "*",
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Order(StringComparer.Ordinal).ToArray();
        var originals = files.ToDictionary(file => file, File.ReadAllBytes);

        Gen.Select(Gen.Int[0, files.Length - 1], _content).Array[1, 6].Sample(changes =>
        {
            try
            {
                foreach (var (file, content) in changes)
                {
                    File.WriteAllBytes(files[file], content);
                }

                var inventory = HostInventory.Discover(host.Root, conf, "h");
                ReadinessChecker.Check(HostIommuReader.Read(host.Root), inventory);
                HostDescriptionTests.Read(host.Root, "h", conf);
            }
            finally
            {
                foreach (var (file, _) in changes)
                {
                    File.WriteAllBytes(files[file], originals[files[file]]);
                }
            }
        }, iter: 150, threads: 1);
    }
}

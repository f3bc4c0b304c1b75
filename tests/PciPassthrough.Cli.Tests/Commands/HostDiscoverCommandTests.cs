using System.Text.Json;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Cli.Tests.Commands;

public sealed class HostDiscoverCommandTests
{
    [Fact]
    public void Discover_Tree_ShowsVfsUnderTheirPf()
    {
        using var host = new FakeSysfsBuilder().WithIommu().WithVfioPci()
            .WithSriovNic("0000:81:00.0", numaNode: 1, vfs: 2, totalVfs: 8, ifname: "ens1f0")
            .WithDevice("0000:3b:00.0", "10de", "20b0", PciClasses.Display3D, numaNode: 0, driver: "vfio-pci")
            .Build();

        var (exitCode, output, _) = HostCommandRunner.Run("host", "discover", "--root", host.Root);

        exitCode.ShouldBe(0);
        output.ShouldBe($"""
            {host.Root}/sys/bus/pci/devices: 4 PCI functions (1 type-PF, 2 type-VF, 1 type-PCI), 0 warnings

            ADDRESS          TYPE      ID         CLASS     NUMA  DRIVER    IOMMU  NETDEV    VFS  SERIAL
            0000:3b:00.0     type-PCI  10de:20b0  0x030200  0     vfio-pci  3      -         -    -
            0000:81:00.0     type-PF   8086:1572  0x020000  1     i40e      0      ens1f0    2/8  -
            ├─ 0000:81:02.0  type-VF   8086:154c  0x020000  1     iavf      1      ens1f0v0  -    -
            └─ 0000:81:02.1  type-VF   8086:154c  0x020000  1     iavf      2      ens1f0v1  -    -

            """);
    }

    [Fact]
    public void Discover_Table_HasAParentColumn()
    {
        using var host = FakeSysfsHosts.Dpu().Build();

        var (_, output, _) = HostCommandRunner.Run("host", "discover", "--root", host.Root, "--format", "table");

        output.Split('\n')[2].ShouldBe(
            "ADDRESS       TYPE     ID         CLASS     NUMA  DRIVER     IOMMU  NETDEV    VFS   PARENT        SERIAL");
        output.ShouldContain(
            "\n0000:03:02.0  type-VF  15b3:101e  0x020000  0     mlx5_core  1      p0v0      -     0000:03:00.0  MT2113X00000\n");
    }

    [Fact]
    public void Discover_Warnings_ArePrintedWithTheirFixAndExitOne()
    {
        using var host = FakeSysfsHosts.OddAddresses().Build();

        var (exitCode, output, _) = HostCommandRunner.Run("host", "discover", "--root", host.Root);

        exitCode.ShouldBe(1);
        output.ShouldContain("warning: 10000:01:00.0: skipped: not a PCI address within the supported ranges");
        output.ShouldContain("  fix: Nova cannot assign it either;");
    }

    [Fact]
    public void Discover_Json_UsesNovaFieldNames()
    {
        using var host = FakeSysfsHosts.NoNuma().Build();

        var (_, output, _) = HostCommandRunner.Run("host", "discover", "--root", host.Root, "--format", "json");

        using var json = JsonDocument.Parse(output);
        var devices = json.RootElement.GetProperty("devices");
        devices.GetArrayLength().ShouldBe(5);
        var vf = devices[1];
        vf.GetProperty("address").GetString().ShouldBe("0000:01:02.0");
        vf.GetProperty("dev_type").GetString().ShouldBe("type-VF");
        vf.GetProperty("parent_addr").GetString().ShouldBe("0000:01:00.0");
        vf.GetProperty("numa_node").ValueKind.ShouldBe(JsonValueKind.Null);
        vf.GetProperty("parent_ifname").GetString().ShouldBe("eno1");
        devices[0].GetProperty("enabled_vfs").GetInt32().ShouldBe(2);
        json.RootElement.GetProperty("warnings").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public void Discover_UnknownFormat_IsAUsageError()
    {
        var (exitCode, _, error) = HostCommandRunner.Run("host", "discover", "--format", "xml");

        exitCode.ShouldNotBe(0);
        error.ShouldContain("xml");
    }

    [Theory]
    [MemberData(nameof(NamedHosts))]
    public void Discover_EveryNamedHostInEveryFormat_Prints(string name)
    {
        using var host = FakeSysfsHosts.All[name]().Build();

        foreach (var format in new[] { "tree", "table", "json" })
        {
            var (exitCode, output, _) = HostCommandRunner.Run("host", "discover", "--root", host.Root, "--format", format);

            exitCode.ShouldBeOneOf(0, 1);
            output.ShouldContain(host.Functions[0].Address);
        }
    }

    [Fact]
    public void Discover_RealSys_PrintsEveryFormat()
    {
        var (exitCode, output, _) = HostCommandRunner.Run("host", "discover", "--format", "json");

        exitCode.ShouldBeOneOf(0, 1);
        var devices = JsonDocument.Parse(output).RootElement.GetProperty("devices");
        devices.ValueKind.ShouldBe(JsonValueKind.Array);
        foreach (var format in new[] { "tree", "table" })
        {
            var (textExitCode, text, _) = HostCommandRunner.Run("host", "discover", "--format", format);
            textExitCode.ShouldBe(exitCode);
            devices.EnumerateArray().Select(d => d.GetProperty("address").GetString()!).ShouldAllBe(a => text.Contains(a));
        }
    }

    public static TheoryData<string> NamedHosts() => [.. FakeSysfsHosts.All.Keys];
}

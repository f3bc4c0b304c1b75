using System.Text.Json;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Cli.Tests.Commands;

public sealed class HostCheckCommandTests
{
    [Fact]
    public void Check_ReadyHost_PassesAndExitsZero()
    {
        using var host = FakeSysfsHosts.Nvme().Build();

        var (exitCode, output, _) = HostCommandRunner.Run("host", "check", "--root", host.Root);

        exitCode.ShouldBe(0);
        output.ShouldStartWith("STATUS  CHECK                SUBJECT  DETAIL\npass    kernel command line  -        ");
        output.ShouldNotContain("What to do:");
        output.ShouldEndWith("6 passed, 0 warned, 0 failed: ready for PCI passthrough (exit 0)\n");
    }

    [Fact]
    public void Check_Warnings_ExitOneAndSayWhatToDo()
    {
        using var host = FakeSysfsHosts.Gpus().Build();

        var (exitCode, output, _) = HostCommandRunner.Run("host", "check", "--root", host.Root);

        exitCode.ShouldBe(1);
        output.ShouldContain("warn    IOMMU group          0000:65:00.0  IOMMU group 65 also holds 0000:65:00.1");
        output.ShouldContain("What to do:\n  warn  IOMMU group 0000:65:00.0: pass every function of the group");
    }

    [Fact]
    public void Check_UnpreparedHost_ExitsTwo()
    {
        using var host = FakeSysfsHosts.Unprepared().Build();

        var (exitCode, output, _) = HostCommandRunner.Run("host", "check", "--root", host.Root);

        exitCode.ShouldBe(2);
        output.ShouldContain("fail    vfio-pci ");
        output.ShouldEndWith("failed: not ready for PCI passthrough (exit 2)\n");
    }

    [Fact]
    public void Check_Json_ListsEveryCheckWithStatusAndFix()
    {
        using var host = FakeSysfsHosts.Unprepared().Build();

        var (_, output, _) = HostCommandRunner.Run("host", "check", "--root", host.Root, "--format", "json");

        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("status").GetString().ShouldBe("fail");
        json.RootElement.GetProperty("exit_code").GetInt32().ShouldBe(2);
        var vfio = json.RootElement.GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("check").GetString() == "vfio-pci");
        vfio.GetProperty("status").GetString().ShouldBe("fail");
        vfio.GetProperty("subject").ValueKind.ShouldBe(JsonValueKind.Null);
        vfio.GetProperty("fix").GetString().ShouldNotBeNull().ShouldContain("modprobe vfio-pci");
    }

    [Theory]
    [MemberData(nameof(NamedHosts))]
    public void Check_EveryNamedHost_ExitCodeMatchesTheWorstLine(string name)
    {
        using var host = FakeSysfsHosts.All[name]().Build();

        var (exitCode, output, _) = HostCommandRunner.Run("host", "check", "--root", host.Root, "--format", "json");

        using var json = JsonDocument.Parse(output);
        var worst = json.RootElement.GetProperty("checks").EnumerateArray()
            .Max(c => Array.IndexOf(["pass", "warn", "fail"], c.GetProperty("status").GetString()));
        exitCode.ShouldBe(worst);
        var (tableExitCode, table, _) = HostCommandRunner.Run("host", "check", "--root", host.Root);
        tableExitCode.ShouldBe(exitCode);
        table.ShouldContain($"(exit {exitCode})");
    }

    [Fact]
    public void Check_RealSys_PrintsTableAndJson()
    {
        var (exitCode, output, _) = HostCommandRunner.Run("host", "check");
        var (jsonExitCode, json, _) = HostCommandRunner.Run("host", "check", "--format", "json");

        exitCode.ShouldBeOneOf(0, 1, 2);
        output.ShouldContain($"(exit {exitCode})");
        jsonExitCode.ShouldBe(exitCode);
        JsonDocument.Parse(json).RootElement.GetProperty("checks").GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Check_WithConfig_FailsAManagedNoDeviceOnAHostDriver()
    {
        using var host = FakeSysfsHosts.Nvme().Build();
        var conf = Path.Combine(host.Root, "nova.conf");
        File.WriteAllText(conf, "[pci]\ndevice_spec = {\"address\": \"0000:5e:00.0\", \"managed\": \"no\"}\n");

        var (exitCode, output, _) = HostCommandRunner.Run("host", "check", "--root", host.Root, "--config", conf);

        exitCode.ShouldBe(2);
        output.ShouldContain("pass    device_spec          -             1 entry selects 1 device of this host.\n");
        output.ShouldContain("  fail  driver binding 0000:5e:00.0: bind it to vfio-pci: driverctl set-override 0000:5e:00.0 vfio-pci\n");
    }

    public static TheoryData<string> NamedHosts() => [.. FakeSysfsHosts.All.Keys];
}

using System.Text.Json;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary><c>host discover --config</c>: fake hosts with a nova.conf applied as a compute start would.</summary>
public sealed class HostDiscoverConfigTests : IDisposable
{
    private readonly string _conf = Path.Combine(Path.GetTempPath(), $"nova-{Guid.NewGuid():N}.conf");

    public void Dispose() => File.Delete(_conf);

    [Fact]
    public void Discover_WithConfig_ShowsSpecStatusAndPoolOfEachDevice()
    {
        var (exitCode, output) = Discover(FakeSysfsHosts.DualSocketSriov(), """
            device_spec = {"vendor_id": "8086", "product_id": "154c", "physical_network": "physnet0"}
            device_spec = {"address": "0000:af:00.0", "physical_network": "physnet1", "trusted": "yes"}
            """);

        exitCode.ShouldBe(0);
        output.ShouldContain("[pci] device_spec: 2 entries select 11 functions into 4 pools\n");
        output.ShouldContain(
            "\n├─ 0000:18:0a.1  type-VF  8086:154c  0x020000  0     iavf       6      ens1f1v0   -     -       #1    available  #2\n");
        output.ShouldContain("""
            device_spec:
              #1  {"vendor_id":"8086","product_id":"154c","address":"*:*:*.*","physical_network":"physnet0"}
              #2  {"vendor_id":"*","product_id":"*","address":"0000:af:00.0","physical_network":"physnet1","trusted":"yes"}
            """);
        output.ShouldContain("#4    2     product_id=\"101e\", vendor_id=\"15b3\", numa_node=1, dev_type=\"type-VF\", "
            + "physical_network=\"physnet1\", trusted=\"yes\", address=\"0000:af:00.0\", remote_managed=\"false\"\n");
        output.ShouldEndWith("""
            Not selected:
              0000:18:00.0: no device_spec selects it: #1 wants product_id 154c; #2 selects PF 0000:af:00.0 and its VFs
              0000:18:00.1: no device_spec selects it: #1 wants product_id 154c; #2 selects PF 0000:af:00.0 and its VFs
              0000:af:00.1: no device_spec selects it: #1 wants vendor_id 8086; #2 selects PF 0000:af:00.0 and its VFs

            """);
    }

    [Fact]
    public void DS20_PfAddressSpec_SelectsThePfAndItsVfs() =>
        Selected(FakeSysfsHosts.DualSocketSriov(), """device_spec = {"address": "0000:af:00.0"}""")
            .ShouldBe(["0000:af:00.0", "0000:af:02.0", "0000:af:02.1"]);

    [Fact]
    public void DS21_PfAddressWithVfProduct_SelectsOnlyTheVfs() =>
        Selected(FakeSysfsHosts.DualSocketSriov(), """device_spec = {"address": "0000:af:00.0", "product_id": "101e"}""")
            .ShouldBe(["0000:af:02.0", "0000:af:02.1"]);

    [Fact]
    public void DS25_DevnameOfAPf_SelectsThePfAndItsVfs() =>
        Selected(FakeSysfsHosts.DualSocketSriov(), """device_spec = {"devname": "ens1f1"}""")
            .ShouldBe(["0000:18:00.1", "0000:18:0a.1", "0000:18:0a.2", "0000:18:0a.3", "0000:18:0a.4"]);

    [Fact]
    public void DS25_DevnameThatDoesNotExist_SelectsNothing() =>
        Selected(FakeSysfsHosts.DualSocketSriov(), """device_spec = {"devname": "eth9"}""").ShouldBeEmpty();

    [Fact]
    public void DS29_RemoteManaged_SelectsOnlyVfsWithAVpdSerial()
    {
        var (_, output) = Discover(FakeSysfsHosts.Dpu(),
            """device_spec = {"vendor_id": "15b3", "product_id": "101e", "remote_managed": "true"}""");

        output.ShouldContain("  0000:82:02.0: no device_spec selects it: #1 is remote_managed and the device has no VPD serial number\n");
        Selected(FakeSysfsHosts.Dpu(), """device_spec = {"vendor_id": "15b3", "product_id": "101e", "remote_managed": "true"}""")
            .ShouldBe(["0000:03:02.0", "0000:03:02.1", "0000:03:0a.1", "0000:03:0a.2"]);
    }

    [Fact]
    public void DS29_RemoteManagedPfAddressWithVfIds_IsValid() =>
        Selected(FakeSysfsHosts.Dpu(),
                """device_spec = {"address": "0000:03:00.0", "vendor_id": "15b3", "product_id": "101e", "remote_managed": "true"}""")
            .ShouldBe(["0000:03:02.0", "0000:03:02.1"]);

    [Fact]
    public void DS29_RemoteManagedPfAddressWithPfIds_RefusesToStart()
    {
        var (exitCode, output) = Discover(FakeSysfsHosts.Dpu(),
            """device_spec = {"address": "0000:03:00.0", "vendor_id": "15b3", "product_id": "a2d6", "remote_managed": "true"}""");

        exitCode.ShouldBe(2);
        output.ShouldContain($"{_conf}:2: PciDeviceInvalidPFRemoteManaged: ");
        output.ShouldContain("(the compute would refuse to start; nothing is tracked)");
        output.ShouldNotContain("Not selected:");
    }

    [Fact]
    public void DS35_DeviceInA32BitDomain_IsSkippedWithoutError()
    {
        var (exitCode, output) = Discover(FakeSysfsHosts.OddAddresses(), """device_spec = {"vendor_id": "144d"}""", "json");

        exitCode.ShouldBe(1);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("config_errors").GetArrayLength().ShouldBe(0);
        json.RootElement.GetProperty("devices").EnumerateArray().ShouldNotContain(d => d.GetProperty("address").GetString() == "10000:01:00.0");
        json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("address").GetString())
            .ShouldContain("10000:01:00.0");
    }

    [Fact]
    public void DS6_NoDeviceSpec_TracksNothing()
    {
        var (exitCode, output) = Discover(FakeSysfsHosts.Nvme(), "");

        exitCode.ShouldBe(0);
        output.ShouldContain("[pci] device_spec: 0 entries select 0 functions into 0 pools\n");
        output.ShouldContain("  0000:5e:00.0: no device_spec is configured (01 DS-6)\n");
    }

    [Fact]
    public void Discover_Json_CarriesSpecsPoolsAndReasons()
    {
        var (_, output) = Discover(FakeSysfsHosts.Nvme(), """device_spec = {"address": "0000:5f:00.0", "managed": "no"}""", "json");

        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("device_specs")[0].GetProperty("spec").GetProperty("managed").GetString().ShouldBe("false");
        root.GetProperty("pools")[0].GetProperty("free").GetInt32().ShouldBe(1);
        var devices = root.GetProperty("devices");
        devices[0].GetProperty("not_selected").GetString().ShouldBe("no device_spec selects it: #1 selects address 0000:5f:00.0");
        devices[1].GetProperty("device_spec").GetInt32().ShouldBe(1);
        devices[1].GetProperty("status").GetString().ShouldBe("available");
        devices[1].GetProperty("pool").GetInt32().ShouldBe(1);
    }

    [Fact]
    public void Discover_UnreadableConfig_ExitsTwoAndSaysWhy()
    {
        var (exitCode, _, error) = HostCommandRunner.Run("host", "discover", "--config", "/no/such/nova.conf");

        exitCode.ShouldBe(2);
        error.ShouldBe("pcictl: cannot read /no/such/nova.conf: no such file\n", StringCompareShould.IgnoreLineEndings);
    }

    private (int ExitCode, string Output) Discover(FakeSysfsBuilder builder, string pci, string format = "tree")
    {
        using var host = builder.Build();
        File.WriteAllText(_conf, $"[pci]\n{pci}\n");
        var (exitCode, output, _) = HostCommandRunner.Run("host", "discover", "--root", host.Root, "--config", _conf, "--format", format);
        return (exitCode, output.Replace(host.Root, "ROOT", StringComparison.Ordinal));
    }

    private List<string?> Selected(FakeSysfsBuilder builder, string pci)
    {
        var (_, output) = Discover(builder, pci, "json");
        using var json = JsonDocument.Parse(output);
        return [.. json.RootElement.GetProperty("devices").EnumerateArray()
            .Where(d => d.GetProperty("device_spec").ValueKind == JsonValueKind.Number)
            .Select(d => d.GetProperty("address").GetString())];
    }
}

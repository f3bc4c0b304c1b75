using System.CommandLine;
using System.Text.Json;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Cli.Tests.Commands;

public sealed class ConfigCheckCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pcictl-config-check-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Check_ValidFile_ExitsZeroAndSaysValid()
    {
        var path = Write("[DEFAULT]\nhost = cn1\n[pci]\nreport_in_placement = true\n");

        var (exitCode, output, error) = Run("config", "check", path);

        exitCode.ShouldBe(0);
        error.ShouldBeEmpty();
        output.ShouldStartWith($"{path}: valid{Environment.NewLine}");
        output.ShouldContain("[pci] report_in_placement");
    }

    [Fact]
    public void Check_InvalidValue_ExitsOneWithFileLineKindAndMessage()
    {
        var path = Write("[pci]\n\nreport_in_placement = y\n");

        var (exitCode, output, _) = Run("config", "check", path);

        exitCode.ShouldBe(1);
        output.ShouldStartWith($"{path}: invalid, 1 error");
        output.ShouldContain($"{path}:3: ConfigFileValueError: [pci] report_in_placement: 'y' is not a boolean");
    }

    [Fact]
    public void Check_TextThatIsNotIni_ExitsOneWithEveryBadLine()
    {
        var path = Write("host = cn1\n[pci\n");

        var (exitCode, output, _) = Run("config", "check", path);

        exitCode.ShouldBe(1);
        output.ShouldContain($"{path}:1: ConfigFileParseError: option 'host' comes before any [section] header");
        output.ShouldContain($"{path}:2: ConfigFileParseError: section header '[pci' must end with ']'");
    }

    [Fact]
    public void Check_OnlyWarnings_ExitsZeroAndPrintsThem()
    {
        var path = Write("[pci]\nDevice_Spec = {}\n");

        var (exitCode, output, _) = Run("config", "check", path);

        exitCode.ShouldBe(0);
        output.ShouldContain($"{path}:2: warning: Nova ignores [pci] Device_Spec: did you mean [pci] device_spec?");
    }

    [Fact]
    public void Check_MissingFile_ExitsTwoAndSaysWhyOnStandardError()
    {
        var path = Path.Combine(_directory, "absent.conf");

        var (exitCode, output, error) = Run("config", "check", path);

        exitCode.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldBe($"pcictl: cannot read {path}: no such file\n", StringCompareShould.IgnoreLineEndings);
    }

    [Fact]
    public void Check_Directory_ExitsTwoSayingSo()
    {
        var (exitCode, _, error) = Run("config", "check", _directory);

        exitCode.ShouldBe(2);
        error.ShouldBe($"pcictl: cannot read {_directory}: it is a directory; give a file\n", StringCompareShould.IgnoreLineEndings);
    }

    [Theory]
    [InlineData("config", "check")] // FILE missing
    [InlineData("config", "check", "nova.conf", "--format", "xml")]
    [InlineData("config", "check", "nova.conf", "--frobnicate")]
    public void Check_BadArguments_ExitTwo(params string[] args) => Run(args).ExitCode.ShouldBe(2);

    [Fact]
    public void Check_Help_ExplainsEachOptionWithAnExample()
    {
        var (exitCode, output, _) = Run("config", "check", "--help");

        exitCode.ShouldBe(0);
        output.ShouldContain("pcictl config check /etc/nova/nova.conf");
        output.ShouldContain("--format <table|json>");
        output.ShouldContain("Example: --format json");
        output.ShouldContain("Exit codes: 0 valid, 1 invalid configuration, 2 unreadable file or bad arguments.");
    }

    [Fact]
    public void Check_JsonFormat_HasTheDocumentedShape()
    {
        var path = Write("[pci]\nreport_in_placement = maybe\nDevice_Spec = {}\n[filter_scheduler]\npci_weight_multiplier = 3\n");

        var (exitCode, output, _) = Run("config", "check", path, "--format", "json");

        exitCode.ShouldBe(1);
        var root = JsonDocument.Parse(output).RootElement;
        root.GetProperty("file").GetString().ShouldBe(path);
        root.GetProperty("valid").GetBoolean().ShouldBeFalse();
        var options = root.GetProperty("options");
        options.GetProperty("DEFAULT").GetProperty("host").GetProperty("value").ValueKind.ShouldBe(JsonValueKind.Null);
        options.GetProperty("DEFAULT").GetProperty("host").GetProperty("line").ValueKind.ShouldBe(JsonValueKind.Null);
        var multiplier = options.GetProperty("filter_scheduler").GetProperty("pci_weight_multiplier");
        multiplier.GetProperty("value").GetDouble().ShouldBe(3.0);
        multiplier.GetProperty("line").GetInt32().ShouldBe(5);
        options.GetProperty("pci").GetProperty("report_in_placement").GetProperty("value").GetBoolean().ShouldBeFalse();
        var error = root.GetProperty("errors").EnumerateArray().ShouldHaveSingleItem();
        error.GetProperty("file").GetString().ShouldBe(path);
        error.GetProperty("line").GetInt32().ShouldBe(2);
        error.GetProperty("kind").GetString().ShouldBe("ConfigFileValueError");
        error.GetProperty("message").GetString().ShouldStartWith("[pci] report_in_placement: 'maybe' is not a boolean");
        var warning = root.GetProperty("warnings").EnumerateArray().ShouldHaveSingleItem();
        warning.GetProperty("line").GetInt32().ShouldBe(3);
    }

    [Theory]
    [InlineData("[pci]\ndevice_spec = {'vendor_id': '8086'}", 2, "PciConfigInvalidSpec")] // DS-2
    [InlineData("[pci]\ndevice_spec = [1]", 2, "PciConfigInvalidSpec")] // DS-3
    [InlineData("[pci]\ndevice_spec = {\"vendor_id\": \"80860\"}", 2, "PciConfigInvalidSpec")] // DS-8
    [InlineData("[pci]\ndevice_spec = {\"address\": \"1:2:3:4\"}", 2, "PciDeviceWrongAddressFormat")] // DS-11
    [InlineData("[pci]\ndevice_spec = {\"devname\": \"eth0\", \"address\": \"0000:0a:00.5\"}", 2,
        "PciDeviceInvalidDeviceName")] // DS-23
    [InlineData("[pci]\ndevice_spec = {\"vendor_id\": \"8086\", \"managed\": \"maybe\"}", 2,
        "PciConfigInvalidSpec")] // DS-27
    [InlineData("[pci]\ndevice_spec = {\"vendor_id\": \"8086\", \"one_time_use\": \"TrUe\"}", 2,
        "PciConfigInvalidSpec")] // DS-28
    [InlineData("[pci]\nreport_in_placement = true\ndevice_spec = {\"devname\": \"eth0\"}", 3,
        "PlacementPciException")] // DS-26
    [InlineData("[pci]\nalias = {\"name\": \"a1\", \"vendor_id\": \"0x8086\"}", 2, "PciInvalidAlias")] // RQ-6
    [InlineData("[pci]\n\nalias = {\"name\": \"a1\", \"vendor_id\": \"8086\"}", 3, "PciInvalidAlias")] // RQ-9
    public void Check_ConfigurationNovaRefuses_ExitsOneWithKindAtTheValuesLine(string text, int line, string kind)
    {
        var path = Write(text);

        var (exitCode, output, _) = Run("config", "check", path);

        exitCode.ShouldBe(1);
        output.ShouldContain($"{path}:{line}: {kind}: ");
    }

    [Fact]
    public void Check_DeviceSpecs_ListedNormalisedWithTagsAndTheirLines()
    {
        var path = Write("""
            [pci]
            passthrough_whitelist = {"vendor_id": "0x8086", "product_id": "ABCD", "physical_network": "physnet1"}
            device_spec = [{"address": "0:a:0.5", "trusted": "yes"},
                {"devname": "ens1f0"}]
            """);

        var (exitCode, output, _) = Run("config", "check", path, "--format", "json");

        exitCode.ShouldBe(0);
        var specs = JsonDocument.Parse(output).RootElement.GetProperty("device_specs").EnumerateArray().ToList();
        specs.Select(s => s.GetProperty("line").GetInt32()).ShouldBe([2, 3, 3]);
        specs.Select(s => s.GetProperty("option").GetString())
            .ShouldBe(["[pci] passthrough_whitelist", "[pci] device_spec", "[pci] device_spec"]);
        specs.Select(s => Compact(s.GetProperty("spec"))).ShouldBe([
            """{"vendor_id":"8086","product_id":"abcd","address":"*:*:*.*","physical_network":"physnet1"}""",
            """{"vendor_id":"*","product_id":"*","address":"0000:0a:00.5","trusted":"yes"}""",
            """{"vendor_id":"*","product_id":"*","devname":"ens1f0"}""",
        ]);
        specs.Select(s => s.GetProperty("resolved_on_compute").GetBoolean()).ShouldBe([false, true, true]);
    }

    [Fact]
    public void Check_DeviceSpecsTable_SaysWhatIsResolvedOnTheCompute()
    {
        var path = Write("[pci]\ndevice_spec = {\"address\": \"0000:3b:00.0\", \"physical_network\": \"physnet1\"}\n");

        var (_, output, _) = Run("config", "check", path);

        output.ShouldContain("[pci] device_spec: 1 spec; a device is governed by the first that matches it");
        output.ShouldContain("0000:3b:00.0 (1)");
        output.ShouldContain("physical_network=physnet1");
        output.ShouldContain("(1) resolved on the compute: if it is an SR-IOV PF");
    }

    [Fact]
    public void Check_RemoteManagedDevname_IsLeftToTheComputeWithAWarning()
    {
        var path = Write("[pci]\ndevice_spec = {\"devname\": \"ens1f0\", \"remote_managed\": \"true\"}\n");

        var (exitCode, output, _) = Run("config", "check", path);

        exitCode.ShouldBe(0);
        output.ShouldContain($"{path}:2: warning: [pci] device_spec: a remote_managed spec by devname is resolved on the compute");
    }

    [Fact]
    public void Check_Aliases_ListedWithEachSpecsLine()
    {
        var path = Write("""
            [pci]
            alias = {"name": "vf", "vendor_id": "8086", "product_id": "154c", "device_type": "type-VF"}
            alias = {"name": "gpu", "vendor_id": "10de", "product_id": "20b5", "numa_policy": "required"}
            alias = {"name": " vf ", "vendor_id": "8086", "product_id": "10ed", "device_type": "type-VF"}
            """);

        var (exitCode, output, _) = Run("config", "check", path, "--format", "json");

        exitCode.ShouldBe(0);
        var aliases = JsonDocument.Parse(output).RootElement.GetProperty("aliases").EnumerateArray().ToList();
        aliases.Select(a => (a.GetProperty("name").GetString(), a.GetProperty("numa_policy").GetString()))
            .ShouldBe([("vf", "legacy"), ("gpu", "required")]);
        var vf = aliases[0].GetProperty("specs").EnumerateArray().ToList();
        vf.Select(s => s.GetProperty("line").GetInt32()).ShouldBe([2, 4]);
        Compact(vf[1].GetProperty("spec")).ShouldBe("""{"vendor_id":"8086","product_id":"10ed","dev_type":"type-VF"}""");
    }

    [Fact]
    public void Check_AliasLineRejected_IsNotListedButTheOthersAre()
    {
        var path = Write("""
            [pci]
            alias = {"name": "vf", "vendor_id": "8086", "product_id": "154c", "device_type": "type-VF"}
            alias = {"name": "vf", "vendor_id": "8086", "product_id": "10ed", "device_type": "type-PF"}
            """);

        var (exitCode, output, _) = Run("config", "check", path);

        exitCode.ShouldBe(1);
        output.ShouldContain($"{path}:3: PciInvalidAlias: ");
        output.ShouldContain("[pci] alias: 1 alias;");
        output.ShouldContain($"{Environment.NewLine}vf    2     legacy       vendor_id=8086, product_id=154c, dev_type=type-VF{Environment.NewLine}");
    }

    [Fact]
    public void Check_Root_ResolvesPfAddressesAndDevnamesAndListsWhatEachSpecSelects()
    {
        using var host = FakeSysfsHosts.DualSocketSriov().Build(Path.Combine(_directory, "host"));
        var path = Write("""
            [pci]
            device_spec = {"address": "0000:18:00.0", "product_id": "154c", "physical_network": "physnet1"}
            device_spec = {"devname": "ens1f1"}
            device_spec = {"vendor_id": "15b3", "product_id": "101e"}
            """);

        var (exitCode, output, _) = Run("config", "check", path, "--format", "json", "--root", host.Root);

        exitCode.ShouldBe(0, output);
        var root = JsonDocument.Parse(output).RootElement;
        var specs = root.GetProperty("device_specs").EnumerateArray().ToList();
        specs.ShouldAllBe(s => !s.GetProperty("resolved_on_compute").GetBoolean());
        specs.Select(s => s.GetProperty("selects").EnumerateArray().Select(a => a.GetString()).ToList()).ShouldBe([
            [.. Enumerable.Range(0, 4).Select(i => FakeSysfsBuilder.VfAddress("0000:18:00.0", i))], // DS-21: VFs only
            ["0000:18:00.1", .. Enumerable.Range(0, 4).Select(i => FakeSysfsBuilder.VfAddress("0000:18:00.1", i))], // DS-25
            [.. Enumerable.Range(0, 2).Select(i => FakeSysfsBuilder.VfAddress("0000:af:00.0", i))],
        ]);
        // unselected: the PF 0000:18:00.0 itself and the two ConnectX PFs
        root.GetProperty("host").GetProperty("unselected").GetInt32().ShouldBe(3);
    }

    [Fact]
    public void Check_RootJson_GivesEachSelectedFunctionsFields() // DS-5, DS-36
    {
        using var host = FakeSysfsHosts.DualSocketSriov().Build(Path.Combine(_directory, "host"));
        var path = Write("""
            [pci]
            device_spec = {"devname": "ens1f1"}
            device_spec = {"vendor_id": "8086"}
            """);

        var (exitCode, output, _) = Run("config", "check", path, "--format", "json", "--root", host.Root);

        exitCode.ShouldBe(0, output);
        var root = JsonDocument.Parse(output).RootElement;
        var specs = root.GetProperty("device_specs").EnumerateArray().ToList();
        var pf = specs[0].GetProperty("devices").EnumerateArray().First();
        Compact(pf).ShouldBe(
            """{"address":"0000:18:00.1","vendor_id":"8086","product_id":"1572","dev_type":"type-PF","numa_node":0,"netdev":"ens1f1"}""");
        // the first matching spec wins: the second spec gets the other X710 port and its VFs, not ens1f1's
        specs[1].GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("address").GetString()).ShouldBe(
            ["0000:18:00.0", .. Enumerable.Range(0, 4).Select(i => FakeSysfsBuilder.VfAddress("0000:18:00.0", i))]);
        var vf = specs[1].GetProperty("devices").EnumerateArray().Last();
        (vf.GetProperty("dev_type").GetString(), vf.GetProperty("product_id").GetString(), vf.GetProperty("netdev").GetString())
            .ShouldBe(("type-VF", "154c", "ens1f0v3"));
        specs.ShouldAllBe(s => s.GetProperty("selects").GetArrayLength() == s.GetProperty("devices").GetArrayLength());

        var hostTree = root.GetProperty("host");
        var unselected = hostTree.GetProperty("unselected_devices").EnumerateArray().ToList();
        hostTree.GetProperty("unselected").GetInt32().ShouldBe(unselected.Count);
        unselected.Select(d => (d.GetProperty("address").GetString(), d.GetProperty("numa_node").GetInt32())).ShouldBe([
            ("0000:af:00.0", 1), ("0000:af:00.1", 1),
            .. Enumerable.Range(0, 2).Select(i => (FakeSysfsBuilder.VfAddress("0000:af:00.0", i), 1)),
        ]);
        unselected[0].GetProperty("netdev").GetString().ShouldBe("ens3f0np0");
        unselected[2].GetProperty("netdev").ValueKind.ShouldBe(JsonValueKind.Null); // a VF on vfio-pci has no interface
        unselected[0].GetProperty("not_selected").GetString()
            .ShouldBe("no device_spec selects it: #1 names devname ens1f1, another function; #2 wants vendor_id 8086");
    }

    [Fact]
    public void Check_RootTable_ListsEachSpecsFunctionsAndTheUnselected()
    {
        using var host = FakeSysfsHosts.Nvme().Build(Path.Combine(_directory, "host"));
        var path = Write("[pci]\ndevice_spec = {\"vendor_id\": \"144d\", \"address\": \"0000:5e:*.*\"}\n");

        var (exitCode, output, _) = Run("config", "check", path, "--root", host.Root);

        exitCode.ShouldBe(0);
        output.ShouldContain("SELECTS");
        output.ShouldContain("0000:5e:*.*");
        output.ShouldContain(" 1 function");
        output.ShouldContain($"{host.Root}: 1 function selected, each by the first spec that matches it");
        Row(output, "#1 ").ShouldBe(["#1", "0000:5e:00.0", "144d:a824", "type-PCI", "0", "-"]);
        output.ShouldContain($"{host.Root}: 1 function selected by no spec, so not tracked by the compute");
        Row(output, "0000:5f:00.0").ShouldBe(["0000:5f:00.0", "144d:a824", "type-PCI", "0", "-", "no", "device_spec",
            "selects", "it:", "#1", "selects", "address", "0000:5e:*.*"]);
    }

    [Fact]
    public void Check_RootWithoutAnySpec_ListsEveryFunctionAsUnselected() // DS-6
    {
        using var host = FakeSysfsHosts.Nvme().Build(Path.Combine(_directory, "host"));
        var path = Write("[pci]\n");

        var (exitCode, output, _) = Run("config", "check", path, "--root", host.Root);

        exitCode.ShouldBe(0);
        output.ShouldContain($"{host.Root}: no spec selects any function");
        output.ShouldContain($"{host.Root}: 2 functions selected by no spec");
        Row(output, "0000:5e:00.0").ShouldContain("configured");
    }

    [Fact]
    public void Check_RootWithInvalidSpecs_ListsNoDeviceAndExitsOne()
    {
        using var host = FakeSysfsHosts.Nvme().Build(Path.Combine(_directory, "host"));
        var path = Write("[pci]\ndevice_spec = {\"vendor_id\": \"XYZ\"}\n");

        var (exitCode, output, _) = Run("config", "check", path, "--root", host.Root);
        var (jsonExitCode, json, _) = Run("config", "check", path, "--root", host.Root, "--format", "json");

        exitCode.ShouldBe(1);
        output.ShouldContain($"{host.Root}: the device_spec configuration is invalid: a compute refuses to start");
        output.ShouldNotContain("0000:5e:00.0");
        jsonExitCode.ShouldBe(1);
        JsonDocument.Parse(json).RootElement.GetProperty("host").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public void Check_WithoutRoot_ListsNoDevice()
    {
        var path = Write("[pci]\ndevice_spec = {\"vendor_id\": \"144d\"}\n");

        var (_, output, _) = Run("config", "check", path);
        var (_, json, _) = Run("config", "check", path, "--format", "json");

        output.ShouldNotContain("SELECTS");
        output.ShouldNotContain("selected by no spec");
        var root = JsonDocument.Parse(json).RootElement;
        root.GetProperty("host").ValueKind.ShouldBe(JsonValueKind.Null);
        var spec = root.GetProperty("device_specs").EnumerateArray().ShouldHaveSingleItem();
        spec.TryGetProperty("selects", out _).ShouldBeFalse();
        spec.TryGetProperty("devices", out _).ShouldBeFalse();
    }

    [Fact]
    public void Check_RootWithoutPciDevices_SaysSoAndWhy()
    {
        var path = Write("[pci]\ndevice_spec = {}\n");

        var (exitCode, output, _) = Run("config", "check", path, "--root", _directory);

        exitCode.ShouldBe(0);
        output.ShouldContain($"{_directory}: no PCI function found");
        output.ShouldContain($"{_directory}: warning: {Path.Combine(_directory, "sys", "bus", "pci", "devices")} does not exist");
        output.ShouldNotContain("selected by no spec");
    }

    [Fact]
    public void Check_JsonFormat_HasTheReadmesKeys()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var example = JsonDocument.Parse(string.Join('\n', readme.SkipWhile(line => line != "### `--format json`")
            .SkipWhile(line => line != "```json").Skip(1).TakeWhile(line => line != "```"))).RootElement;
        var path = Write("""
            [pci]
            device_spec = {"vendor_id": "XYZ"}
            device_spec = {"vendor_id": "8086"}
            alias = {"name": "a1", "vendor_id": "8086", "product_id": "154d"}
            Alias = {}
            """);

        var (_, output, _) = Run("config", "check", path, "--format", "json");

        var actual = JsonDocument.Parse(output).RootElement;
        Keys(actual).ShouldBe(Keys(example), ignoreOrder: true);
        foreach (var list in (string[])["device_specs", "aliases", "errors", "warnings"])
        {
            Keys(actual.GetProperty(list)[0]).ShouldBe(Keys(example.GetProperty(list)[0]), ignoreOrder: true, list);
        }

        Keys(actual.GetProperty("aliases")[0].GetProperty("specs")[0])
            .ShouldBe(Keys(example.GetProperty("aliases")[0].GetProperty("specs")[0]), ignoreOrder: true);
        Keys(actual.GetProperty("options")).ShouldBe(["DEFAULT", "pci", "filter_scheduler", "compute"]);
    }

    [Fact]
    public void Check_RootHelp_TeachesWhatItLists()
    {
        var (exitCode, output, _) = Run("config", "check", "--help");

        exitCode.ShouldBe(0);
        output.ShouldContain("--root <DIR>");
        output.ShouldContain("NUMA node");
        output.ShouldContain("Example: --root /");
        output.ShouldContain("pcictl config check /etc/nova/nova.conf --root /");
    }

    [Fact]
    public void Check_RootWithoutTheInterface_RemoteManagedDevnameIsAnError()
    {
        using var host = FakeSysfsHosts.Nvme().Build(Path.Combine(_directory, "host"));
        var path = Write("[pci]\ndevice_spec = {\"devname\": \"p0\", \"remote_managed\": \"true\"}\n");

        var (exitCode, output, _) = Run("config", "check", path, "--root", host.Root);

        exitCode.ShouldBe(1);
        output.ShouldContain($"{path}:2: PciDeviceRemoteManagedNotPresent: "); // DS-29
    }

    [Fact]
    public void Check_RootThatDoesNotExist_ExitsTwo()
    {
        var path = Write("[pci]\n");

        var (exitCode, _, error) = Run("config", "check", path, "--root", Path.Combine(_directory, "nowhere"));

        exitCode.ShouldBe(2);
        error.ShouldContain("no such directory");
    }

    [Fact]
    public void Check_ExampleConfiguration_IsValid()
    {
        var (exitCode, output, _) = Run("config", "check", Path.Combine(RepositoryRoot(), "examples", "nova.conf"));

        exitCode.ShouldBe(0, output);
        output.ShouldNotContain("warning");
    }

    [Fact]
    public void Check_BrokenExample_IsInvalid() =>
        Run("config", "check", Path.Combine(RepositoryRoot(), "examples", "broken-nova.conf")).ExitCode.ShouldBe(1);

    private string Write(string text)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Every table is laid out like the other verbs' tables: columns two spaces apart, no line ending in a space.</summary>
    [Theory]
    [InlineData("nova.conf")]
    [InlineData("broken-nova.conf")]
    [InlineData("demo-nova.conf", "fleet/cmp-gpu")]
    [InlineData("demo-nova.conf", "fleet/cmp-sriov")]
    public void Check_Table_HasNoTrailingSpaces(string file, string? root = null)
    {
        var examples = Path.Combine(RepositoryRoot(), "examples");

        var (_, output, _) = Run(["config", "check", Path.Combine(examples, file), .. root is null ? [] : (string[])["--root", Path.Combine(examples, root)]]);

        output.Split(Environment.NewLine).Where(line => line.EndsWith(' ')).ShouldBeEmpty();
        output.ShouldContain($"{Environment.NewLine}OPTION  ");
    }

    /// <summary>A configuration Nova would refuse is config check's answer (1), and an input the compute-side verbs
    /// cannot run with (2).</summary>
    [Fact]
    public void RefusedConfiguration_IsTheAnswerForConfigCheckAndAUsageErrorForTheComputeVerbs()
    {
        var examples = Path.Combine(RepositoryRoot(), "examples");
        var broken = Path.Combine(examples, "broken-nova.conf");
        var root = Path.Combine(examples, "fleet", "cmp-gpu");

        Run("config", "check", broken).ExitCode.ShouldBe(ExitCodes.Invalid);
        Run("host", "discover", "--config", broken, "--root", root).ExitCode.ShouldBe(ExitCodes.Usage);
        Run("host", "check", "--config", broken, "--root", root).ExitCode.ShouldBe(ExitCodes.Usage);
        Run("agent", "--once", "--config", broken, "--root", root, "--controller", "http://127.0.0.1:9").ExitCode.ShouldBe(ExitCodes.Usage);
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = Program.Run(args, new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);

    private static List<string> Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    /// <summary>The words of the first output line that starts, after its indent, with <paramref name="start"/>.</summary>
    private static string[] Row(string output, string start) =>
        output.Split(Environment.NewLine).First(line => line.TrimStart().StartsWith(start, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "PciPassthrough.slnx")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("PciPassthrough.slnx not found above the tests");
        }

        return directory.FullName;
    }
}

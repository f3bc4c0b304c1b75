using CsCheck;
using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Host.Tests.NovaConf;

public sealed class NovaConfOptionsTests
{
    private static NovaConfOptions Read(string text) => NovaConfOptions.Read(NovaConfParser.Parse(text, "nova.conf"));

    [Fact]
    public void Read_EmptyFile_GivesNovaDefaults()
    {
        var options = Read("");

        options.Host.ShouldBe(new ConfSetting<string?>(null, null));
        options.DeviceSpecs.ShouldBeEmpty();
        options.Aliases.ShouldBeEmpty();
        options.ReportInPlacement.ShouldBe(new ConfSetting<bool>(false, null));
        options.PciInPlacement.ShouldBe(new ConfSetting<bool>(false, null));
        options.PciWeightMultiplier.ShouldBe(new ConfSetting<double>(1.0, null));
        options.PackingHostNumaCellsAllocationStrategy.ShouldBe(new ConfSetting<bool>(false, null));
        options.Errors.ShouldBeEmpty();
        options.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Read_EveryOption_IsTypedAndLocated()
    {
        var options = Read("""
            [DEFAULT]
            host = compute-01.example.org
            [pci]
            device_spec = {"vendor_id": "8086"}
            alias = {"name": "a1"}
            report_in_placement = True
            [filter_scheduler]
            pci_in_placement = yes
            pci_weight_multiplier = 2.5
            [compute]
            packing_host_numa_cells_allocation_strategy = on
            """);

        options.Errors.ShouldBeEmpty();
        options.Host.ShouldBe(new ConfSetting<string?>("compute-01.example.org", new ConfLocation("nova.conf", 2)));
        options.DeviceSpecs.ShouldHaveSingleItem().Location.Line.ShouldBe(4);
        options.Aliases.ShouldHaveSingleItem().Value.ShouldBe("{\"name\": \"a1\"}");
        options.ReportInPlacement.ShouldBe(new ConfSetting<bool>(true, new ConfLocation("nova.conf", 6)));
        options.PciInPlacement.ShouldBe(new ConfSetting<bool>(true, new ConfLocation("nova.conf", 8)));
        options.PciWeightMultiplier.ShouldBe(new ConfSetting<double>(2.5, new ConfLocation("nova.conf", 9)));
        options.PackingHostNumaCellsAllocationStrategy.Value.ShouldBeTrue();
    }

    [Theory]
    [InlineData("", false)] // LV-19: Nova's default
    [InlineData("[scheduler]\nimage_metadata_prefilter = true", true)] // LV-19
    [InlineData("[filter_scheduler]\nimage_metadata_prefilter = true", false)] // LV-19: only [scheduler]
    public void LV19_ImageMetadataPrefilter_IsTheSchedulerSectionsSwitch(string text, bool on)
    {
        var options = Read(text);

        options.ImageMetadataPrefilter.Value.ShouldBe(on);
        options.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Read_DeviceSpecUnderEveryName_ComesInNovasOrder()
    {
        // oslo.config returns the deprecated names' values first, whatever their place in the file.
        var options = Read("""
            [pci]
            device_spec = {"vendor_id": "0001"}
            passthrough_whitelist = {"vendor_id": "0002"}
            device_spec = {"vendor_id": "0003"}
            [DEFAULT]
            pci_passthrough_whitelist = {"vendor_id": "0004"}
            """);

        options.DeviceSpecs.Select(e => (e.Key, e.Location.Line)).ShouldBe([
            ("pci_passthrough_whitelist", 6), ("passthrough_whitelist", 3), ("device_spec", 2), ("device_spec", 4),
        ]);
        options.Warnings.Select(w => w.Location.Line).ShouldBe([3, 6]);
        options.Warnings[0].Message.ShouldStartWith("[pci] passthrough_whitelist is the deprecated name of [pci] device_spec");
    }

    [Fact]
    public void Read_AliasUnderBothNames_PutsDeprecatedPciAliasFirst() =>
        Read("[pci]\nalias = b\n[DEFAULT]\npci_alias = a\n").Aliases.Select(e => e.Value).ShouldBe(["a", "b"]);

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("Yes", true)]
    [InlineData("on", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("No", false)]
    [InlineData("OFF", false)]
    [InlineData("0", false)]
    public void Read_Boolean_AcceptsOsloWords(string text, bool expected) =>
        Read($"[pci]\nreport_in_placement = {text}\n").ReportInPlacement.Value.ShouldBe(expected);

    [Theory]
    [InlineData("y")] // Nova's own bool_from_string takes it; oslo.config does not
    [InlineData("t")]
    [InlineData("enabled")]
    [InlineData("")]
    public void Read_Boolean_RejectsOtherWordsWithFileAndLine(string text)
    {
        var options = Read($"[pci]\n\nreport_in_placement = {text}\n");

        options.ReportInPlacement.ShouldBe(new ConfSetting<bool>(false, null));
        options.Errors.ShouldHaveSingleItem().ToString().ShouldBe(
            $"nova.conf:3: ConfigFileValueError: [pci] report_in_placement: '{text}' is not a boolean: expected "
            + "true/false, yes/no, on/off or 1/0 (any case)");
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("1", 1.0)]
    [InlineData("2.5", 2.5)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("1e2", 100.0)]
    [InlineData("+1_000.5", 1000.5)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("-0", 0.0)]
    public void Read_WeightMultiplier_AcceptsPythonFloats(string text, double expected) =>
        Read($"[filter_scheduler]\npci_weight_multiplier = {text}\n").PciWeightMultiplier.Value.ShouldBe(expected);

    [Theory]
    [InlineData("-1", "'-1' is negative: expected a number >= 0")]
    [InlineData("1,5", "'1,5' is not a number: expected a decimal number >= 0, e.g. 1.0 or 2.5")]
    [InlineData("1__0", "'1__0' is not a number: expected a decimal number >= 0, e.g. 1.0 or 2.5")]
    [InlineData("0x10", "'0x10' is not a number: expected a decimal number >= 0, e.g. 1.0 or 2.5")]
    [InlineData("-inf", "'-inf' is negative: expected a number >= 0")]
    [InlineData("", "the value is empty: expected a number >= 0 (oslo.config reads an empty number as None, which "
        + "Nova cannot use)")]
    public void Read_WeightMultiplier_RejectsOthers(string text, string message)
    {
        var options = Read($"[filter_scheduler]\npci_weight_multiplier = {text}\n");

        options.PciWeightMultiplier.Value.ShouldBe(1.0);
        options.Errors.ShouldHaveSingleItem().Error.Message.ShouldBe($"[filter_scheduler] pci_weight_multiplier: {message}");
    }

    [Fact]
    public void Read_CapacityOptions_AreTypedWhenSetAndDefaultOtherwise()
    {
        var options = Read("[DEFAULT]\ncpu_allocation_ratio = 4.0\nreserved_host_memory_mb = 1_024\n");

        options.CpuAllocationRatio.ShouldBe(new ConfSetting<double>(4.0, new ConfLocation("nova.conf", 2)));
        options.ReservedHostMemoryMb.Value.ShouldBe(1024);
        options.RamAllocationRatio.ShouldBe(new ConfSetting<double>(1.5, null));
        options.Errors.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("-1", "'-1' is negative: expected a whole number >= 0")]
    [InlineData("1.5", "'1.5' is not an integer: expected a whole number >= 0, e.g. 512")]
    [InlineData("", "'' is not an integer: expected a whole number >= 0, e.g. 512")]
    public void Read_ReservedHostMemory_RejectsOthers(string text, string message)
    {
        var options = Read($"[DEFAULT]\nreserved_host_memory_mb = {text}\n");

        options.ReservedHostMemoryMb.Value.ShouldBe(512);
        options.Errors.ShouldHaveSingleItem().Error.Message.ShouldBe($"[DEFAULT] reserved_host_memory_mb: {message}");
    }

    [Theory]
    [InlineData("cn1", "cn1")]
    [InlineData("compute_01.example.org.", "compute_01.example.org")]
    [InlineData("10.0.0.5", "10.0.0.5")]
    [InlineData("fe80::1", "fe80::1")]
    public void Read_Host_AcceptsAddressesAndHostNames(string text, string expected) =>
        Read($"[DEFAULT]\nhost = {text}\n").Host.Value.ShouldBe(expected);

    [Theory]
    [InlineData("")]
    [InlineData("-cn1")]
    [InlineData("cn 1")]
    [InlineData("10.0.0.256")] // not an address, and an all-digit last label is no host name
    [InlineData("a..b")]
    public void Read_Host_RejectsOthers(string text)
    {
        var options = Read($"[DEFAULT]\nhost = {text}\n");

        options.Host.Value.ShouldBeNull();
        options.Errors.ShouldHaveSingleItem().Error.Message.ShouldStartWith($"[DEFAULT] host: '{text}' is not a valid host address");
    }

    [Fact]
    public void Read_SingleValuedOptionSetTwice_LastWinsAndTheEarlierIsFlagged()
    {
        var options = Read("[pci]\nreport_in_placement = false\n[pci]\nreport_in_placement = true\n");

        options.ReportInPlacement.ShouldBe(new ConfSetting<bool>(true, new ConfLocation("nova.conf", 4)));
        options.Warnings.ShouldHaveSingleItem().ToString().ShouldBe(
            "nova.conf:2: warning: [pci] report_in_placement is set again on line 4; Nova uses the last value");
    }

    [Theory]
    [InlineData("{\"physical_network\": \"$host\"}", "{\"physical_network\": \"cn1\"}")]
    [InlineData("{\"physical_network\": \"${host}x\"}", "{\"physical_network\": \"cn1x\"}")]
    [InlineData("{\"physical_network\": \"$pci.tag\"}", "{\"physical_network\": \"physnet1\"}")]
    [InlineData("{\"physical_network\": \"$tag\"}", "{\"physical_network\": \"physnet1\"}")] // own section first
    [InlineData("{\"a\": \"$$host\", \"b\": \"\\$host\"}", "{\"a\": \"$host\", \"b\": \"$host\"}")]
    [InlineData("{\"address\": {\"bus\": \"0a$\"}}", "{\"address\": {\"bus\": \"0a$\"}}")] // a regex anchor stays
    public void Read_DollarReferences_AreSubstitutedAsOsloDoes(string value, string expected)
    {
        var options = Read($"[DEFAULT]\nhost = cn1\ntag = other\n[pci]\ntag = physnet1\ndevice_spec = {value}\n");

        options.DeviceSpecs.ShouldHaveSingleItem().Value.ShouldBe(expected);
        options.Warnings.ShouldAllBe(w => !w.Message.Contains("names no option"));
    }

    [Fact]
    public void Read_ReferenceToAnOptionNotInTheFile_IsKeptAndFlagged()
    {
        var options = Read("[pci]\ndevice_spec = {\"physical_network\": \"$my_ip\"}\n");

        options.DeviceSpecs.ShouldHaveSingleItem().Value.ShouldBe("{\"physical_network\": \"$my_ip\"}");
        options.Warnings.ShouldHaveSingleItem().Message.ShouldBe(
            "'$my_ip' in [pci] device_spec names no option set in this file: Nova substitutes that option's default "
            + "value, or refuses to start if it has no such option; write $$ for a literal $");
    }

    [Fact]
    public void Read_SelfReferencingValue_IsAnError() =>
        Read("[DEFAULT]\nhost = $other\nother = x$host\n").Errors.ShouldHaveSingleItem().ToString().ShouldBe(
            "nova.conf:3: TemplateSubstitutionError: '$host' in [DEFAULT] other refers back to itself through "
            + "[DEFAULT] host (line 2): substitution never ends and Nova cannot start; write $$ for a literal $");

    [Theory]
    [InlineData("[pci]\nDevice_Spec = {}", "Nova ignores [pci] Device_Spec: did you mean [pci] device_spec?")]
    [InlineData("[pci]\ndevice-spec = {}", "Nova ignores [pci] device-spec: did you mean [pci] device_spec?")]
    [InlineData("[ pci ]\nalias = {}", "Nova ignores [ pci ] alias: did you mean [pci] alias?")]
    [InlineData("[default]\nhost = cn1", "Nova ignores [default] host: did you mean [DEFAULT] host?")]
    [InlineData("[Filter_Scheduler]\nPCI_in_placement = true",
        "Nova ignores [Filter_Scheduler] PCI_in_placement: did you mean [filter_scheduler] pci_in_placement?")]
    [InlineData("[pci]\nwhitelist = {}", "Nova has no option [pci] whitelist and ignores it; the [pci] options are "
        + "alias, device_spec and report_in_placement")]
    public void Read_NameNovaIgnores_IsFlagged(string text, string start)
    {
        var warning = Read(text).Warnings.ShouldHaveSingleItem();

        warning.Location.Line.ShouldBe(2);
        warning.Message.ShouldStartWith(start);
    }

    [Fact]
    public void Read_ParseErrors_AreIncludedInLineOrder() =>
        Read("[pci]\nreport_in_placement = maybe\nbad\n").Errors.Select(e => (e.Location.Line, e.Error.Kind))
            .ShouldBe([(2, "ConfigFileValueError"), (3, "ConfigFileParseError")]);

    [Fact]
    public void Read_AnyText_GivesOptionsOrTypedErrorsNeverAnException() =>
        Gen.Select(Gen.Int[0, 6], Gen.String["$[]{}=:\\ .-_aehostpci\n"]).Array[0, 8]
            .Sample(lines =>
            {
                string[] keys = ["host", "device_spec", "report_in_placement", "pci_weight_multiplier",
                    "pci_in_placement", "alias", "x"];
                var text = "[DEFAULT]\n" + string.Concat(lines.Select(l => $"{keys[l.Item1]} = {l.Item2}\n"))
                    + "[pci]\n" + string.Concat(lines.Select(l => $"{keys[l.Item1]} = {l.Item2}\n"));
                var options = Read(text);
                options.Errors.ShouldAllBe(e => e.Error.Kind.StartsWith("Config") || e.Error.Kind.StartsWith("Template"));
            });
}

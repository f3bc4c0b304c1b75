using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;
using static PciPassthrough.Core.Tests.Config.DeviceSpecTestHost;
using static PciPassthrough.Testing.Config.PciDevices;

namespace PciPassthrough.Core.Tests.Config;

public sealed class DeviceSpecParserTests
{
    [Theory]
    [InlineData("0000:0a:00.5", "0000,0a,00,5", true)] // DS-11
    [InlineData("0:a:0.5", "0000,0a,00,5", true)] // DS-11 step 7: zero-padded
    [InlineData("*:0a:00.*", "*,0a,00,*", true)] // DS-11
    [InlineData(":0a:00.", "*,0a,00,*", true)] // DS-11 step 4: empty parts are *
    [InlineData("0000:06:", "0000,06,*,*", false)] // DS-11
    [InlineData("06:00", "*,06,00,*", false)] // DS-11: two parts mean bus:slot
    [InlineData("0a", "*,*,0a,*", false)] // DS-11: one part means slot
    [InlineData("0a:", "*,0a,*,*", true)] // DS-11
    [InlineData(":0a", "*,*,0a,*", false)] // DS-11
    [InlineData(".5", "*,*,*,5", true)] // DS-11
    [InlineData(".", "*,*,*,*", true)] // DS-11
    [InlineData(":", "*,*,*,*", true)] // DS-11
    [InlineData("::", "*,*,*,*", true)] // DS-11
    [InlineData("*", "*,*,*,*", true)] // DS-11
    [InlineData("", "*,*,*,*", true)] // DS-11 step 1
    [InlineData("0x0000:0x0a:0x1f.0x7", "0000,0a,1f,7", false)] // DS-8 prefix, DS-11
    [InlineData(" 0000 : 0a : 00 . 5 ", "0000,0a,00,5", true)] // DS-11 steps 3-4: trimmed
    [InlineData("*: *: *.5", "*,*,*,5", true)] // DS-11, DS-14
    [InlineData("*: *: *.6", "*,*,*,6", false)] // DS-11, DS-14
    public void DS11_GlobAddress_NormalisedFieldsAndMatch(string address, string fields, bool matches)
    {
        var json = $$"""{"address":"{{address}}"}""";
        var spec = ParseOne(json);
        spec.Address!.Kind.ShouldBe(DeviceSpecAddressKind.Glob);
        Fields(spec).ShouldBe(fields);
        Matches(json, Device).ShouldBe(matches);
    }

    [Theory]
    [InlineData("null")] // DS-11 step 1
    [InlineData("{}")] // DS-11 step 1
    [InlineData("[]")] // DS-11 step 1
    [InlineData("0")] // DS-11 step 1
    [InlineData("false")] // DS-11 step 1
    public void DS11_EmptyJsonAddress_AllWildcards(string address)
    {
        var spec = ParseOne($$"""{"address":{{address}}}""");
        Fields(spec).ShouldBe("*,*,*,*");
        spec.Address!.Kind.ShouldBe(DeviceSpecAddressKind.Glob);
    }

    [Theory]
    [InlineData(":::", PciErrorKinds.PciDeviceWrongAddressFormat, "has 4 ':'-separated parts")] // DS-11 step 4
    [InlineData("1:2:3:4", PciErrorKinds.PciDeviceWrongAddressFormat, "has 4 ':'-separated parts")] // DS-11 step 4
    [InlineData("0000:0a:0b:00.5", PciErrorKinds.PciDeviceWrongAddressFormat, "expected at most 3")] // DS-11 step 4
    [InlineData("0000:h4.12:6", PciErrorKinds.PciConfigInvalidSpec, "property func ('12:6') does not parse as a hex number")] // DS-13
    [InlineData("0000:0a:00.5.1", PciErrorKinds.PciConfigInvalidSpec, "property func ('5.1') does not parse as a hex number")] // DS-13
    [InlineData("0*:0a:00.5", PciErrorKinds.PciConfigInvalidSpec, "property domain ('0*') does not parse as a hex number")] // DS-12
    [InlineData("10000:0a:00.5", PciErrorKinds.PciConfigInvalidSpec, "property domain (10000) is greater than the maximum allowable value (FFFF)")] // DS-13
    [InlineData("0000:100:00.5", PciErrorKinds.PciConfigInvalidSpec, "property bus (100) is greater than the maximum allowable value (FF)")] // DS-13
    [InlineData("0000:0a:20.5", PciErrorKinds.PciConfigInvalidSpec, "property slot (20) is greater than the maximum allowable value (1F)")] // DS-13
    [InlineData("0000:0a:1f.8", PciErrorKinds.PciConfigInvalidSpec, "property func (8) is greater than the maximum allowable value (7)")] // DS-13
    [InlineData("1:2:3:4.x", PciErrorKinds.PciConfigInvalidSpec, "property func ('x')")] // DS-11 step 6: function first
    [InlineData("0000:0a:00. ", PciErrorKinds.PciConfigInvalidSpec, "property func ('')")] // DS-11 step 3
    [InlineData("0000:1?:00.5", PciErrorKinds.PciConfigInvalidSpec, "property bus ('1?')")] // DS-12
    [InlineData("-1:0a:00.5", PciErrorKinds.PciConfigInvalidSpec, "property domain ('-1')")] // DS-10 quirk rejected
    [InlineData("0_0:0a:00.5", PciErrorKinds.PciConfigInvalidSpec, "property domain ('0_0')")] // DS-10 quirk rejected
    public void DS13_GlobAddress_Rejected(string address, string kind, string message)
    {
        var error = ParseError($$"""{"address":"{{address}}"}""");
        error.Kind.ShouldBe(kind);
        error.Message.ShouldContain(message);
        error.Message.ShouldStartWith("device_spec[0] {\"address\":");
    }

    [Theory]
    [InlineData("""{"domain":".*","bus":".*","slot":"00","function":"[5-6]"}""", true)] // DS-16
    [InlineData("""{"domain":".*","bus":".*","slot":"00","function":"[6-7]"}""", false)] // DS-16
    [InlineData("""{"bus":"0a"}""", true)] // DS-15: others .*
    [InlineData("""{"domain":".*","bus":"0","slot":"0","function":"5"}""", true)] // DS-18: prefix match
    [InlineData("""{"bus":"0A"}""", false)] // DS-18: case-sensitive
    [InlineData("""{"bus":"(?i)0A"}""", true)] // DS-18
    [InlineData("""{"bus":"0$"}""", false)] // DS-18: $ anchors the end
    [InlineData("""{"bus":"a"}""", false)] // DS-18: anchored at the start
    [InlineData("""{"slot":"0[0-9]","extra":"ignored"}""", true)] // DS-15: other keys ignored
    public void DS18_RegexAddress_PrefixMatch(string address, bool matches)
    {
        var json = $$"""{"address":{{address}}}""";
        ParseOne(json).Address!.Kind.ShouldBe(DeviceSpecAddressKind.Regex);
        Matches(json, Device).ShouldBe(matches);
    }

    [Fact]
    public void DS15_RegexAddress_MissingKeysAreDotStarAndTextsKeptAsWritten()
    {
        var address = ParseOne("""{"address":{"bus":"0A","slot":"1"}}""").Address!;
        address.ShouldBe(new DeviceSpecAddress(DeviceSpecAddressKind.Regex, ".*", "0A", "1", ".*", IsPhysicalFunction: false));
    }

    [Fact]
    public void DS17_RegexAddress_NotRangeChecked() =>
        ParseOne("""{"address":{"slot":"ff","function":"9"}}""").Address!.Slot.ShouldBe("ff");

    [Theory]
    [InlineData("""{"domain":"*","bus":"02"}""")] // DS-16
    [InlineData("""{"function":"[6[-7]"}""")] // DS-16
    [InlineData("""[".*",".*","00","5"]""")] // DS-19
    [InlineData("5")] // DS-19
    [InlineData("true")] // DS-19
    [InlineData("""{"bus":5}""")] // DS-16: a non-string value
    public void DS16_BadAddress_WrongAddressFormat(string address)
    {
        var error = ParseError($$"""{"address":{{address}}}""");
        error.Kind.ShouldBe(PciErrorKinds.PciDeviceWrongAddressFormat);
        error.Message.ShouldContain("is not valid");
    }

    [Fact]
    public void DS4_EmptyObject_MatchesEveryDevice()
    {
        var spec = ParseOne("{}");
        (spec.VendorId, spec.ProductId, Fields(spec)).ShouldBe(("*", "*", "*,*,*,*"));
        Matches("{}", Device).ShouldBeTrue();
    }

    [Theory]
    [InlineData("""{"vendor_id":"0x8086","product_id":"5057"}""", "8086", "5057", true)] // DS-8, DS-9
    [InlineData("""{"vendor_id":" 8086 ","product_id":" 5057"}""", "8086", "5057", true)] // DS-9: trimmed
    [InlineData("""{"vendor_id":"1","product_id":"ABCD"}""", "0001", "abcd", false)] // DS-9
    [InlineData("""{"vendor_id":"8087","product_id":"5057"}""", "8087", "5057", false)] // DS-10
    [InlineData("""{"vendor_id":"*","product_id":"5057"}""", "*", "5057", true)] // DS-7
    [InlineData("""{"product_id":"5057"}""", "*", "5057", true)] // DS-7
    public void DS9_Ids_NormalisedAndCompared(string json, string vendor, string product, bool matches)
    {
        var spec = ParseOne(json);
        (spec.VendorId, spec.ProductId).ShouldBe((vendor, product));
        Matches(json, Device).ShouldBe(matches);
    }

    [Theory]
    [InlineData("""{"vendor_id":"80860"}""", "property vendor_id (80860) is greater than the maximum allowable value (FFFF)")] // DS-8
    [InlineData("""{"vendor_id":"XYZ"}""", "property vendor_id ('XYZ') does not parse as a hex number")] // DS-8
    [InlineData("""{"product_id":"80860"}""", "property product_id (80860) is greater than the maximum allowable value (FFFF)")] // DS-8
    [InlineData("""{"product_id":"XYZ"}""", "property product_id ('XYZ') does not parse as a hex number")] // DS-8
    [InlineData("""{"vendor_id":8086}""", "property vendor_id (8086) is not a string")] // DS-8: non-string
    [InlineData("""{"product_id":null}""", "property product_id (null) is not a string")] // DS-8: non-string
    [InlineData("""{"vendor_id":""}""", "property vendor_id ('') does not parse")] // DS-8
    [InlineData("""{"product_id":" * "}""", "property product_id (' * ') does not parse")] // DS-7: only the string *
    public void DS8_BadIds_InvalidSpec(string json, string message)
    {
        var error = ParseError(json);
        error.Kind.ShouldBe(PciErrorKinds.PciConfigInvalidSpec);
        error.Message.ShouldContain(message);
    }

    [Fact]
    public void DS23_DevnameWithAddress_InvalidDeviceName() =>
        ParseError("""{"devname":"eth0","address":"0000:0a:00.5"}""").Kind.ShouldBe(PciErrorKinds.PciDeviceInvalidDeviceName);

    [Fact]
    public void DS24_EmptyDevname_IsAbsent()
    {
        var spec = ParseOne("""{"devname":""}""");
        spec.Devname.ShouldBe("");
        Fields(spec).ShouldBe("*,*,*,*");
        Matches("""{"devname":""}""", Device).ShouldBeTrue();
    }

    [Fact]
    public void DS24_DevnameWithEmptyAddress_IsValid() =>
        ParseOne("""{"devname":"eth0","address":""}""").Devname.ShouldBe("eth0");

    [Fact]
    public void DS25_DevnameWithoutPciLink_ValidButMatchesNothing()
    {
        var spec = ParseOne("""{"devname":"lo"}""");
        (spec.Devname, spec.Address).ShouldBe(("lo", null));
        Matches("""{"devname":"lo"}""", Device).ShouldBeFalse();
    }

    [Fact]
    public void DS25_DevnameOfPf_MatchesItsVfs()
    {
        var host = new PciDeviceListProbe([Pf("0000:0a:00.0", netdev: "eth0"), Device]);
        Matches("""{"devname":"eth0"}""", Device, host).ShouldBeTrue();
        Matches("""{"devname":"eth0"}""", Pf("0000:0a:00.0"), host).ShouldBeTrue();
        Matches("""{"devname":"eth0"}""", Vf("0000:0b:02.1", "0000:0b:00.0"), host).ShouldBeFalse();
    }

    [Fact]
    public void DS25_DevnameOfPlainFunction_MatchesThatFunctionOnly()
    {
        var host = new PciDeviceListProbe([Plain("0000:3b:00.0") with { Netdev = "eno1" }]);
        Matches("""{"devname":"eno1"}""", Plain("0000:3b:00.0"), host).ShouldBeTrue();
        Matches("""{"devname":"eno1"}""", Plain("0000:3b:00.1"), host).ShouldBeFalse();
    }

    [Fact]
    public void DS26_DevnameWithPlacementReporting_PlacementPciException()
    {
        var error = ParseError("""{"devname":"eth0"}""", options: new() { ReportInPlacement = true });
        error.Kind.ShouldBe(PciErrorKinds.PlacementPciException);
        error.Message.ShouldContain("devname 'eth0'");
    }

    [Fact]
    public void DS26_DevnameWithoutPlacementReporting_Accepted() =>
        ParseOne("""{"devname":"eth0"}""").Devname.ShouldBe("eth0");

    [Fact]
    public void DS27_BooleanTags_Normalised()
    {
        var spec = ParseOne("""{"vendor_id":"8086","managed":"YES","live_migratable":"0"}""");
        (spec.GetTagString("managed"), spec.GetTagString("live_migratable")).ShouldBe(("true", "false"));
        Matches("""{"vendor_id":"8086","managed":"YES","live_migratable":"0"}""", Device).ShouldBeTrue();
    }

    [Theory]
    [InlineData("false", "false")] // DS-27: a JSON boolean is itself
    [InlineData("true", "true")] // DS-27
    [InlineData("1", "true")] // DS-27: a number is read as its text
    [InlineData("\" off \"", "false")] // DS-27: trimmed, lower-cased
    public void DS27_LiveMigratable_StrictBoolean(string value, string expected) =>
        ParseOne($$"""{"vendor_id":"8086","live_migratable":{{value}}}""").GetTagString("live_migratable").ShouldBe(expected);

    [Theory]
    [InlineData("managed", "\"maybe\"")] // DS-27
    [InlineData("live_migratable", "2")] // DS-27
    [InlineData("one_time_use", "[]")] // DS-27
    public void DS27_BadBooleanTag_InvalidSpec(string tag, string value)
    {
        var error = ParseError($$"""{"vendor_id":"8086","{{tag}}":{{value}}}""");
        error.Kind.ShouldBe(PciErrorKinds.PciConfigInvalidSpec);
        error.Message.ShouldContain($"Cannot parse tag '{tag}' ({value}): expected one of 1, t, true, on, y, yes, 0, f, false, off, n, no.");
    }

    [Fact]
    public void DS27_NullBooleanTag_KeptNull()
    {
        ParseOne("""{"managed":null}""").TryGetTag("managed", out var value).ShouldBeTrue();
        value.ShouldBeNull();
    }

    [Fact]
    public void DS28_OneTimeUseTrue_NeedsPlacementReporting()
    {
        const string json = """{"vendor_id":"8086","one_time_use":"TrUe"}""";
        ParseError(json).Message.ShouldContain("one_time_use is true but [pci] report_in_placement is false");
        var spec = ParseOne(json, options: new() { ReportInPlacement = true });
        spec.GetTagString("one_time_use").ShouldBe("true");
        Matches(json, Device, options: new() { ReportInPlacement = true }).ShouldBeTrue();
    }

    [Fact]
    public void DS28_OneTimeUseFalse_AlwaysAccepted() =>
        ParseOne("""{"vendor_id":"8086","one_time_use":"no"}""").GetTagString("one_time_use").ShouldBe("false");

    [Theory]
    [InlineData("""{"vendor_id":"8086","trusted":"yes","remote_managed":"false"}""", "trusted", "yes")] // DS-30
    [InlineData("""{"vendor_id":"8086","trusted":"yes","remote_managed":"false"}""", "remote_managed", "false")] // DS-29 verbatim
    [InlineData("""{"vendor_id":"8086","foo":"bar"}""", "foo", "bar")] // DS-30: free tag
    [InlineData("""{"vendor_id":"8086","physical_network":"PhysNet1"}""", "physical_network", "PhysNet1")] // DS-30: case kept
    [InlineData("""{"vendor_id":"8086","trusted":true}""", "trusted", "true")] // DS-31 deviation: stored as a string
    public void DS30_Tags_KeptVerbatim(string json, string tag, string value)
    {
        ParseOne(json).GetTagString(tag).ShouldBe(value);
        Matches(json, Device).ShouldBeTrue();
    }

    [Fact]
    public void DS31_ScalarTags_StoredAsStringsUnderLatest()
    {
        var spec = ParseOne("""{"trusted":true,"n":1.0}""");
        spec.Tags.Select(t => t.Value!.ToJsonString()).ShouldBe(["\"true\"", "\"1.0\""]);
    }

    [Fact]
    public void DS30_NullTag_KeptNull()
    {
        const string json = """{"vendor_id":"8086","physical_network":null}""";
        var spec = ParseOne(json);
        spec.Tags.ShouldHaveSingleItem().ShouldBe(KeyValuePair.Create<string, System.Text.Json.Nodes.JsonNode?>("physical_network", null));
        spec.GetTagString("physical_network").ShouldBeNull();
        Matches(json, Device).ShouldBeTrue();
    }

    [Fact]
    public void DS30_Tags_KeepWrittenOrderWithoutIdsAndAddress() =>
        ParseOne("""{"z":"1","vendor_id":"8086","a":"2","address":"*:*:*.*","m":"3"}""").Tags.Select(t => t.Key)
            .ShouldBe(["z", "a", "m"]);

    [Fact]
    public void DS33_LiveMigratableOnOldHypervisor_InvalidConfiguration()
    {
        const string json = """{"vendor_id":"8086","live_migratable":"false"}""";
        var old = new DeviceSpecOptions { LibvirtVersion = new(9, 0, 0), QemuVersion = new(8, 2, 2) };
        var error = ParseError(json, options: old);
        error.Kind.ShouldBe(PciErrorKinds.InvalidConfiguration);
        error.Message.ShouldContain("live_migratable needs libvirt >= 10.0.0 and QEMU >= 8.2.2; this compute has libvirt 9.0.0, QEMU 8.2.2");
        ParseOne(json, options: new() { LibvirtVersion = new(10, 0, 0), QemuVersion = new(8, 2, 2) }).ShouldNotBeNull();
        ParseOne(json).ShouldNotBeNull();
        ParseError(json, options: new() { QemuVersion = new(8, 2, 1) }).Kind.ShouldBe(PciErrorKinds.InvalidConfiguration);
    }

    [Fact]
    public void DS33_NoLiveMigratable_OldHypervisorAccepted() =>
        ParseOne("""{"vendor_id":"8086","live_migratable":null}""", options: new() { LibvirtVersion = new(8, 0, 0) })
            .ShouldNotBeNull();

    [Fact]
    public void DS1_SeveralLines_KeptInOrderWithConfigIndex()
    {
        var set = DeviceSpecParser.Parse(["""{"vendor_id":"8086"}""", """[{"vendor_id":"8087"},{"product_id":"1234"}]""", "[]", "{}"], NoHost);
        set.Specs.Select(s => (s.Index, s.ConfigIndex, s.VendorId, s.ProductId)).ShouldBe(
            [(0, 0, "8086", "*"), (1, 1, "8087", "*"), (2, 1, "*", "1234"), (3, 3, "*", "*")]);
    }

    [Theory]
    [InlineData("""{"vendor_id":"8086"}""", 1)] // DS-3
    [InlineData("""[{"vendor_id":"8086"},{"product_id":"1234"}]""", 2)] // DS-3
    [InlineData("[]", 0)] // DS-4
    public void DS3_OptionValue_SpecCount(string line, int count) =>
        DeviceSpecParser.Parse([line], NoHost).Specs.Count.ShouldBe(count);

    [Fact]
    public void DS6_NoSpec_NothingAssignable() =>
        DeviceSpecParser.Parse([], NoHost).Match(Device).ShouldBe(DeviceSpecMatch.None);

    [Theory]
    [InlineData("{'vendor_id': '8086'}", "invalid entry '{'vendor_id': '8086'}': not valid JSON")] // DS-2
    [InlineData("", "invalid entry '': not valid JSON")] // DS-2
    [InlineData("{\"vendor_id\":\"8086\",}", "not valid JSON")] // DS-2: strict JSON
    [InlineData("\"abc\"", "expecting list or dict")] // DS-3
    [InlineData("null", "expecting list or dict")] // DS-3
    [InlineData("true", "expecting list or dict")] // DS-3
    [InlineData("[1]", "device_spec[0][0]: invalid entry 1: expecting dict")] // DS-3
    public void DS2_BadOptionValue_InvalidSpec(string line, string message)
    {
        var error = ParseError(line);
        error.Kind.ShouldBe(PciErrorKinds.PciConfigInvalidSpec);
        error.Message.ShouldContain(message);
    }

    [Fact]
    public void DS5_SecondLineError_NamesItsLine() =>
        ParseErrorOf(["{}", """[{},{"vendor_id":"XYZ"}]"""]).Message.ShouldStartWith("device_spec[1][1] {\"vendor_id\":\"XYZ\"}:");

    [Fact]
    public void Parse_SeveralProblems_StopsAtNovasFirst()
    {
        // vendor before product before address (Nova's order)
        var error = ParseError("""{"address":"0000:0a:20.5","product_id":"XYZ","vendor_id":"80860"}""");
        error.Message.ShouldContain("property vendor_id (80860)");
    }

    [Fact]
    public void Parse_RepeatedKey_LastValueWins() =>
        ParseOne("""{"vendor_id":"XYZ","vendor_id":"8086"}""").VendorId.ShouldBe("8086");

    [Fact]
    public void Check_EveryProblem_ReportedWithItsLine()
    {
        var result = DeviceSpecParser.Check(
            ["""{"vendor_id":"8086"}""", "{'x': 1}", """[{"vendor_id":"XYZ","address":"0000:0a:20.5"},{"product_id":"1"},5]"""],
            NoHost);
        result.IsValid.ShouldBeFalse();
        result.Specs.Select(s => (s.Index, s.ProductId)).ShouldBe([(0, "*"), (2, "0001")]);
        result.Errors.Select(e => (e.LineIndex, e.EntryIndex, e.Error.Kind)).ShouldBe([
            (1, null, PciErrorKinds.PciConfigInvalidSpec),
            (2, 0, PciErrorKinds.PciConfigInvalidSpec),
            (2, 0, PciErrorKinds.PciConfigInvalidSpec),
            (2, 2, PciErrorKinds.PciConfigInvalidSpec),
        ]);
        result.Errors[1].Error.Message.ShouldContain("vendor_id");
        result.Errors[2].Error.Message.ShouldContain("property slot (20)");
    }

    [Fact]
    public void Check_ValidOption_NoErrors()
    {
        var result = DeviceSpecParser.Check(["""{"vendor_id":"8086"}"""], NoHost);
        result.IsValid.ShouldBeTrue();
        result.Specs.ShouldHaveSingleItem().VendorId.ShouldBe("8086");
    }

    [Fact]
    public void Check_SetLevelProblems_AllReported()
    {
        var result = DeviceSpecParser.Check(["""{"devname":"a"}""", """{"devname":"b"}"""], NoHost, new() { ReportInPlacement = true });
        result.Errors.Select(e => (e.LineIndex, e.Error.Kind)).ShouldBe(
            [(0, PciErrorKinds.PlacementPciException), (1, PciErrorKinds.PlacementPciException)]);
    }

    [Fact]
    public void ToJson_NormalisedSpec()
    {
        ParseOne("""{"address":"0:a:0.5","vendor_id":"0x8086","managed":"YES","physical_network":null}""").ToJson()
            .ShouldBe("""{"vendor_id":"8086","product_id":"*","address":"0000:0a:00.5","managed":"true","physical_network":null}""");
        ParseOne("""{"address":{"bus":"0a"},"foo":["x",1]}""").ToJson()
            .ShouldBe("""{"vendor_id":"*","product_id":"*","address":{"domain":".*","bus":"0a","slot":".*","function":".*"},"foo":["x",1]}""");
        ParseOne("""{"devname":"ens1f0","physical_network":"é"}""").ToJson()
            .ShouldBe("""{"vendor_id":"*","product_id":"*","devname":"ens1f0","physical_network":"é"}""");
    }
}

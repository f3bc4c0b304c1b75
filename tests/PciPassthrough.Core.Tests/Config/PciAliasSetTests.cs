using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Tests.Config;

public sealed class PciAliasSetTests
{
    private const string A = """{"name":"a1","vendor_id":"8086","product_id":"154d"}""";

    private static readonly PciAliasOptions _placement = new() { PciInPlacement = true };
    private static readonly PciAliasOptions _zed = new() { Release = NovaRelease.Zed };

    private static string WithA(string extra) => A[..^1] + "," + extra + "}";

    private static string AliasE(string extra = "") =>
        """{"name":"a1","vendor_id":"8086","product_id":"154e" """.TrimEnd() + (extra.Length > 0 ? "," + extra : "") + "}";

    private static string Specs(PciAliasSet set, string name = "a1")
    {
        set.TryGet(name, out var alias).ShouldBeTrue();
        return alias.NumaPolicy.ToNovaName() + " " + string.Join(" | ", alias.Specs.Select(s => string.Join(",", s.Select(p => $"{p.Key}={p.Value}"))));
    }

    private static PciError Rejects(string[] lines, PciAliasOptions? options = null)
    {
        var error = Should.Throw<PciException>(() => PciAliasSet.Parse(lines, options)).Error;
        error.Kind.ShouldBe(PciErrorKinds.PciInvalidAlias);
        return error;
    }

    [Theory]
    [InlineData(false)] // RQ-7
    [InlineData(true)] // RQ-7
    public void RQ7_OneEntry_LegacyWithItsSpec(bool placement) =>
        Specs(PciAliasSet.Parse([A], new() { PciInPlacement = placement })).ShouldBe("legacy vendor_id=8086,product_id=154d");

    [Fact]
    public void RQ7_DeviceType_StoredAsDevType() =>
        Specs(PciAliasSet.Parse([WithA("\"device_type\":\"type-PF\"")])).ShouldBe("legacy vendor_id=8086,product_id=154d,dev_type=type-PF");

    [Fact]
    public void RQ8_SameNameSameType_Alternatives()
    {
        string[] lines = [WithA("\"device_type\":\"type-VF\""), AliasE("\"device_type\":\"type-VF\"")];
        Specs(PciAliasSet.Parse(lines)).ShouldBe(
            "legacy vendor_id=8086,product_id=154d,dev_type=type-VF | vendor_id=8086,product_id=154e,dev_type=type-VF");
        Rejects(lines, _placement).Message.ShouldContain("aliases a1 have more than one spec"); // RQ-9.1
    }

    [Theory]
    [InlineData(false)] // RQ-8 bug
    [InlineData(true)] // RQ-8 bug
    public void RQ8_SameNameWithoutDeviceType_DevTypeBug(bool placement) =>
        Rejects([A, AliasE()], new() { PciInPlacement = placement }).Message.ShouldContain("'dev_type'");

    [Fact]
    public void RQ8_OnlyFirstHasDeviceType_DevTypeBug() =>
        Rejects([WithA("\"device_type\":\"type-VF\""), AliasE()]).Message.ShouldContain("'dev_type'");

    [Fact]
    public void RQ8_OnlySecondHasDeviceType_DevTypeBug() =>
        Rejects([A, AliasE("\"device_type\":\"type-VF\"")]).Message.ShouldContain("'dev_type'");

    [Fact]
    public void RQ8_DifferentDeviceTypes_Mismatch() =>
        Rejects([WithA("\"device_type\":\"type-PF\""), AliasE("\"device_type\":\"type-PCI\"")])
            .Message.ShouldContain("Device type mismatch for alias 'a1': type-PCI here, type-PF on its first line");

    [Fact]
    public void RQ8_DifferentPolicies_MismatchCheckedFirst() =>
        Rejects([WithA("\"numa_policy\":\"required\""), AliasE()])
            .Message.ShouldContain("NUMA policy mismatch for alias 'a1': legacy here, required on its first line");

    [Fact]
    public void RQ7_Name_Trimmed() =>
        PciAliasSet.Parse(["""{"name":" a1 ","vendor_id":"8086","product_id":"154d"}"""]).Aliases.ShouldHaveSingleItem().Name.ShouldBe("a1");

    [Theory]
    [InlineData("""{"name":"","vendor_id":"8086","product_id":"154d"}""", "name '': is 0 characters long; expected 1 to 256")] // RQ-6
    [InlineData("""{"vendor_id":"8086","product_id":"154d"}""", "'name' is a required property")] // RQ-6
    [InlineData("""{"name":1,"vendor_id":"8086","product_id":"154d"}""", "name is 1; expected a JSON string")] // RQ-6
    [InlineData("""{"name":"a1","vendor_id":"0x8086","product_id":"154d"}""", "vendor_id '0x8086': expected exactly 4 hex digits")] // RQ-6
    [InlineData("""{"name":"a1","vendor_id":"808","product_id":"154d"}""", "vendor_id '808': expected exactly 4 hex digits")] // RQ-6
    [InlineData("""{"name":"a1","device_type":"vdpa"}""", "device_type 'vdpa': expected one of type-PCI, type-PF, type-VF")] // RQ-6
    [InlineData("""{"name":"a1","device_type":"N"}""", "device_type 'N'")] // RQ-6
    [InlineData("""{"name":"a1","live_migratable":"maybe"}""", "live_migratable 'maybe': expected one of 1, t, true")] // RQ-6
    [InlineData("""{"name":"a1","live_migratable":true}""", "live_migratable is true; expected a JSON string")] // RQ-6
    [InlineData("""{"name":"a1","numa_policy":""}""", "numa_policy '': expected one of required, legacy, preferred, socket")] // RQ-6
    [InlineData("""{"name":"a1","numa_policy":"derp"}""", "numa_policy 'derp'")] // RQ-6
    [InlineData("""{"name":"a1","capability_type":"usb"}""", "capability_type 'usb': expected pci")] // RQ-6
    [InlineData("""{"name":"a1","foo":"bar"}""", "additional property 'foo' is not allowed")] // RQ-6
    [InlineData("{'name': 'a1'}", "not valid JSON")] // RQ-10
    [InlineData("[1,2]", "[1,2] is not a JSON object")] // RQ-5
    [InlineData("", "not valid JSON")] // RQ-10
    public void RQ6_SchemaViolation_InvalidAlias(string line, string message)
    {
        Rejects([line]).Message.ShouldContain(message);
        Rejects([line], _placement).Message.ShouldContain(message);
    }

    [Fact]
    public void RQ6_NameOf257Characters_TooLong() =>
        Rejects([$$"""{"name":"{{new string('x', 257)}}","vendor_id":"8086","product_id":"154d"}"""])
            .Message.ShouldContain("is 257 characters long; expected 1 to 256");

    [Fact]
    public void RQ6_NameLengthCountsCodePoints() =>
        PciAliasSet.Parse([$$"""{"name":"{{string.Concat(Enumerable.Repeat("😀", 256))}}","vendor_id":"8086","product_id":"154d"}"""])
            .Aliases.ShouldHaveSingleItem();

    [Fact]
    public void RQ6_UpperCaseVendor_KeptAsWritten() =>
        Specs(PciAliasSet.Parse(["""{"name":"a1","vendor_id":"ABCD","product_id":"154d"}"""])).ShouldBe("legacy vendor_id=ABCD,product_id=154d");

    [Fact]
    public void RQ7_LiveMigratable_Normalised() =>
        Specs(PciAliasSet.Parse([WithA("\"live_migratable\":\"YES\"")])).ShouldBe("legacy vendor_id=8086,product_id=154d,live_migratable=true");

    [Fact]
    public void RQ7_SocketPolicy_NotInSpec() =>
        Specs(PciAliasSet.Parse([WithA("\"numa_policy\":\"socket\"")])).ShouldBe("socket vendor_id=8086,product_id=154d");

    [Fact]
    public void RQ12_CapabilityType_KeptInSpec() =>
        Specs(PciAliasSet.Parse([WithA("\"capability_type\":\"pci\"")])).ShouldBe("legacy vendor_id=8086,product_id=154d,capability_type=pci");

    [Fact]
    public void RQ9_ResourceClassOnly_NeedsPciInPlacement()
    {
        const string line = """{"name":"rc","resource_class":"foo","traits":"a,b"}""";
        Rejects([line]).Message.ShouldBe("aliases rc need both vendor_id and product_id.");
        Specs(PciAliasSet.Parse([line], _placement), "rc").ShouldBe("legacy resource_class=foo,traits=a,b");
    }

    [Fact]
    public void RQ9_VendorOnly_MissingIds()
    {
        Rejects(["""{"name":"a1","vendor_id":"8086"}"""]).Message.ShouldBe("aliases a1 need both vendor_id and product_id.");
        Rejects(["""{"name":"a1","vendor_id":"8086"}"""], _placement).Message
            .ShouldBe("aliases a1 need both vendor_id and product_id, or a resource_class.");
    }

    [Fact]
    public void RQ9_TraitsAlone_NeverSuffice()
    {
        Rejects(["""{"name":"a1","traits":"x"}"""]).Message.ShouldContain("aliases a1 need");
        Rejects(["""{"name":"a1","traits":"x"}"""], _placement).Message.ShouldContain("aliases a1 need");
    }

    [Fact]
    public void RQ9_MissingIds_NamesSorted()
    {
        string[] lines =
        [
            """{"name":"a5","vendor_id":"8086","product_id":"0001"}""",
            """{"name":"a4","resource_class":"CUSTOM_X"}""",
            """{"name":"a3"}""",
            """{"name":"a2","vendor_id":"8086"}""",
            """{"name":"a1","product_id":"0001"}""",
        ];
        Rejects(lines).Message.ShouldBe("aliases a1,a2,a3,a4 need both vendor_id and product_id.");
        Rejects(lines, _placement).Message.ShouldBe("aliases a1,a2,a3 need both vendor_id and product_id, or a resource_class.");
    }

    [Fact]
    public void RQ9_MultiSpecCheckedBeforeIds() =>
        Rejects([WithA("\"device_type\":\"type-VF\""), AliasE("\"device_type\":\"type-VF\""), """{"name":"b"}"""], _placement)
            .Message.ShouldContain("more than one spec");

    [Fact]
    public void PM23_PciInPlacement_OneSpecPerAliasAndIdsOrResourceClass()
    {
        string[] twoSpecs = [WithA("\"device_type\":\"type-VF\""), AliasE("\"device_type\":\"type-VF\"")];
        const string classOnly = """{"name":"rc","resource_class":"CUSTOM_GPU"}""";

        PciAliasSet.Parse(twoSpecs).Aliases.Single().Specs.Count.ShouldBe(2);
        Rejects(twoSpecs, _placement).Message.ShouldStartWith("aliases a1 have more than one spec");
        Rejects([classOnly]).Message.ShouldBe("aliases rc need both vendor_id and product_id.");
        PciAliasSet.Parse([classOnly], _placement).Aliases.Single().Name.ShouldBe("rc");
        Rejects(["""{"name":"t","traits":"CUSTOM_X"}"""], _placement).Message
            .ShouldBe("aliases t need both vendor_id and product_id, or a resource_class.");
    }

    [Fact]
    public void RQ13_PlacementKeys_AcceptedWithoutPciInPlacement() =>
        Specs(PciAliasSet.Parse([WithA("\"resource_class\":\"CUSTOM_GPU\",\"traits\":\"A\"")]))
            .ShouldBe("legacy vendor_id=8086,product_id=154d,resource_class=CUSTOM_GPU,traits=A");

    [Fact]
    public void RQ5_Empty_NoAlias() => PciAliasSet.Parse([]).Aliases.ShouldBeEmpty();

    [Fact]
    public void Parse_ErrorNamesTheLine() =>
        Rejects([A, """{"name":"b","foo":1}"""]).Message.ShouldStartWith("alias[1] '{\"name\":\"b\",\"foo\":1}': additional property 'foo'");

    [Fact]
    public void Check_EveryProblemWithItsLine()
    {
        var errors = PciAliasSet.Check([A, "{", """{"name":"b","device_type":"x"}""", """{"name":"a1","vendor_id":"8086","product_id":"154e","numa_policy":"socket"}""", """{"name":"c"}"""]).Errors;
        errors.Select(e => e.LineIndex).ShouldBe([1, 2, 3, null]);
        errors.ShouldAllBe(e => e.Error.Kind == PciErrorKinds.PciInvalidAlias);
        errors[^1].Error.Message.ShouldBe("aliases c need both vendor_id and product_id.");
    }

    [Fact]
    public void Check_ValidSet_NoErrorsAndTheAliases()
    {
        var result = PciAliasSet.Check([A]);

        result.Errors.ShouldBeEmpty();
        result.Aliases.Aliases.Select(a => a.Name).ShouldBe(["a1"]);
    }

    [Theory]
    [InlineData("resource_class")] // scenario-format §6
    [InlineData("traits")] // scenario-format §6
    [InlineData("live_migratable")] // scenario-format §6
    public void RQ6_Zed_PlacementKeys_Unknown(string key) =>
        Rejects([WithA($"\"{key}\":\"true\"")], _zed).Message.ShouldContain($"additional property '{key}' is not allowed");

    [Fact]
    public void RQ9_Zed_IdsMayBeOmitted()
    {
        var set = PciAliasSet.Parse(
            ["""{"name":"a1","product_id":"4444"}""", """{"name":"a2","vendor_id":"4444"}""", """{"name":"a3"}"""], _zed);
        set.Aliases.Select(a => (a.Name, a.Specs.Single().Count)).ShouldBe([("a1", 1), ("a2", 1), ("a3", 0)]);
    }

    [Fact]
    public void RQ8_Zed_SameNameWithoutDeviceType_DevTypeBug() =>
        Rejects(["""{"name":"gpu","vendor_id":"10de","product_id":"1eb8"}""", """{"name":"gpu","vendor_id":"10de","product_id":"20b0"}"""], _zed)
            .Message.ShouldContain("'dev_type'");
}

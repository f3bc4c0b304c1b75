using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Core.Tests.Config.DeviceSpecTestHost;
using static PciPassthrough.Testing.Config.PciDevices;

namespace PciPassthrough.Core.Tests.Config;

/// <summary>The Zed rules of scenario-format §6 and §7 that replace parts of 01.</summary>
public sealed class DeviceSpecZedTests
{
    [Fact]
    public void DS27_DS28_Zed_BooleanTags_KeptVerbatim()
    {
        var spec = ParseOne("""{"product_id":"0001","vendor_id":"8086","managed":"yes","live_migratable":"invalid","one_time_use":"TrUe"}""",
            options: Zed);
        spec.Tags.Select(t => (t.Key, t.Value!.ToJsonString())).ShouldBe(
            [("managed", "\"yes\""), ("live_migratable", "\"invalid\""), ("one_time_use", "\"TrUe\"")]);
    }

    [Fact]
    public void DS31_Zed_ScalarTags_KeptRaw() =>
        ParseOne("""{"trusted":true}""", options: Zed).Tags.ShouldHaveSingleItem().Value!.ToJsonString().ShouldBe("true");

    [Fact]
    public void DS32_Zed_BooleanTags_PlainPoolTags()
    {
        // Zed neither normalises managed nor reads it: the raw text is a pool key like any other tag
        var tracker = new PciHostBuilder(NovaRelease.Zed).WithSpec("""{"managed":"YES"}""").With(Device).Build();
        tracker.Pools.Pools.ShouldHaveSingleItem().Keys["managed"].AsString.ShouldBe("YES");
        new PciHostBuilder().WithSpec("""{"managed":"YES"}""").With(Device).Build().Find(Device.Address)!
            .ExtraInfo["managed"].ShouldBe("true");
    }

    [Fact]
    public void DS33_Zed_LiveMigratable_NoVersionCheck() =>
        ParseOne("""{"live_migratable":"true"}""", options: Zed with { LibvirtVersion = new(6, 0, 0) }).ShouldNotBeNull();

    [Fact]
    public void DS26_Zed_DevnameWithPlacement_AcceptedByTheParser() =>
        ParseOne("""{"devname":"eth0"}""", options: Zed with { ReportInPlacement = true }).Devname.ShouldBe("eth0");

    [Theory]
    [InlineData("""{"vendor_id":8086}""", PciErrorKinds.AttributeError, "'int' object has no attribute 'strip'")]
    [InlineData("""{"vendor_id":null}""", PciErrorKinds.AttributeError, "'NoneType' object has no attribute 'strip'")]
    [InlineData("""{"vendor_id":1.5}""", PciErrorKinds.AttributeError, "'float' object")]
    [InlineData("""{"product_id":5057}""", PciErrorKinds.TypeError, "int() can't convert non-string with explicit base")]
    [InlineData("""{"address":{"bus":1}}""", PciErrorKinds.TypeError, "first argument must be string or compiled pattern")]
    public void DS8_DS16_Zed_NonStringValues_PythonErrorsEscape(string json, string kind, string message)
    {
        var error = ParseError(json, options: Zed);
        (error.Kind, error.NovaException).ShouldBe((kind, false));
        error.Message.ShouldContain(message);
    }

    [Fact]
    public void DS16_Zed_RegexTypeCheckedFieldByField()
    {
        // Nova compiles domain first: its bad pattern wins over the non-string bus
        ParseError("""{"address":{"domain":"*","bus":1}}""", options: Zed).Kind.ShouldBe(PciErrorKinds.PciDeviceWrongAddressFormat);
    }

    [Fact]
    public void DS29_Zed_RemoteManagedPfByAddress_NotFoundById()
    {
        var host = new PciDeviceListProbe([Pf("0000:0a:00.0", "8086", "5057", netdev: "p0", vfProductId: "5058")]);
        ParseError("""{"vendor_id":"8086","product_id":"5058","address":"0000:0a:00.0","remote_managed":"true"}""", host, Zed)
            .Kind.ShouldBe(PciErrorKinds.PciDeviceNotFoundById);
        ParseOne("""{"vendor_id":"8086","product_id":"5058","devname":"p0","remote_managed":"true"}""", host, Zed)
            .IsRemoteManaged.ShouldBeTrue();
        ParseError("""{"vendor_id":"8086","product_id":"5057","devname":"p0","remote_managed":"true"}""", host, Zed)
            .Kind.ShouldBe(PciErrorKinds.PciDeviceInvalidPFRemoteManaged);
    }

    [Fact]
    public void DS29_Zed_RemoteManagedSerial_OnlyTheDevicesOwn()
    {
        var pf = Pf("0000:0a:00.0") with { CardSerialNumber = "MT1" };
        var set = DeviceSpecParser.Parse(["""{"product_id":"154c","remote_managed":"true"}"""], NoHost, Zed);
        set.Match(Vf("0000:0a:02.1", "0000:0a:00.0"), a => a == pf.Address ? pf : null).IsMatch.ShouldBeFalse();
        set.Match(Vf("0000:0a:02.1", "0000:0a:00.0", serial: "MT2")).IsMatch.ShouldBeTrue();
    }

    [Fact]
    public void DS35_Zed_MalformedDeviceAddress_StopsTheCompute()
    {
        var set = DeviceSpecParser.Parse(["{}"], NoHost, Zed);
        Should.Throw<PciException>(() => set.Match(Plain("abc"))).Error.Kind.ShouldBe(PciErrorKinds.PciDeviceWrongAddressFormat);
        set.Match(Plain("10000:00:02.0")).Rejection.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("""{"vendor_id":"+8086"}""", "8086", "*")] // Python's int(): a sign
    [InlineData("""{"vendor_id":"80_86","product_id":"0x_1_5"}""", "8086", "0015")] // Python's int(): '_' separators
    [InlineData("""{"vendor_id":"-1"}""", "-001", "*")] // Python's int(): a negative value is not range-checked
    [InlineData("""{"vendor_id":"\uff18\uff10\uff18\uff16","product_id":"\u0665\u0660\u0665\u0037"}""", "8086", "5057")] // Python's int(): any decimal digit
    public void DS8_Zed_Ids_ReadAsPythonInt(string json, string vendor, string product)
    {
        var spec = ParseOne(json, options: Zed);
        (spec.VendorId, spec.ProductId).ShouldBe((vendor, product));
        ParseError(json).Kind.ShouldBe(PciErrorKinds.PciConfigInvalidSpec);
    }

    [Theory]
    [InlineData("-1:0a:00.5", "-001,0a,00,5")] // Python's int()
    [InlineData("0:-a:1_0.+5", "0000,-a,10,5")] // Python's int()
    [InlineData("\u0660:\uff10a:0_0.\u0665", "0000,0a,00,5")] // Python's int(): any decimal digit
    public void DS13_Zed_GlobAddress_ReadAsPythonInt(string address, string fields) =>
        Fields(ParseOne($$"""{"address":"{{address}}"}""", options: Zed)).ShouldBe(fields);

    [Theory]
    [InlineData("1__0")] // Python's int(): one '_' between digits only
    [InlineData("_10")] // Python's int()
    [InlineData("10_")] // Python's int()
    [InlineData("+-1")] // Python's int()
    [InlineData("\uff21")] // Python's int(): hex letters are ASCII only
    public void DS13_Zed_NotPythonHex_Rejected(string slot) =>
        ParseError($$"""{"address":"0:0:{{slot}}.0"}""", options: Zed).Message.ShouldContain($"property slot ('{slot}')");

    [Fact]
    public void DS25_Zed_NonStringDevname_LookedUpAsText() =>
        ParseOne("""{"devname":5}""", options: Zed).Devname.ShouldBe("5");

    [Fact]
    public void DS25_Zed_NonStringDevname_KeptRawForTheReport() =>
        ParseOne("""{"devname":5}""", options: Zed).WrittenDevname!.ToJsonString().ShouldBe("5");
}

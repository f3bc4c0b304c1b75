using PciPassthrough.Core.Config;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Core.Tests.Config.DeviceSpecTestHost;
using static PciPassthrough.Testing.Config.PciDevices;

namespace PciPassthrough.Core.Tests.Config;

public sealed class DeviceSpecSetTests
{
    // 01 §10 PF cases: PF 0000:0a:00.0 (8086:1572) with VF 0000:0a:02.1 (8086:154c); VF 0000:0b:02.1 of a non-PF
    private static readonly PciDeviceRecord _pfDevice = Pf("0000:0a:00.0", "8086", "1572");
    private static readonly PciDeviceRecord _vfDevice = Vf("0000:0a:02.1", "0000:0a:00.0", "8086", "154c");
    private static readonly PciDeviceRecord _otherVf = Vf("0000:0b:02.1", "0000:0b:00.0", "8086", "154c");
    private static readonly PciDeviceListProbe _pfHost = new([_pfDevice, _vfDevice, _otherVf]);

    [Theory]
    [InlineData("""{"address":"0000:0a:00.0"}""", true, true, false)] // DS-20, DS-21
    [InlineData("""{"address":"0:a:0.0"}""", true, true, false)] // DS-20: normalised before the PF test
    [InlineData("""{"address":"0000:0a:00.0","product_id":"154c"}""", false, true, false)] // DS-21
    [InlineData("""{"address":{"domain":"0000","bus":"0a","slot":"00","function":"0"}}""", true, true, false)] // DS-20 regex
    [InlineData("""{"address":"*:0a:00.0"}""", true, false, false)] // DS-20: not a single address
    [InlineData("""{"address":"0000:0b:00.0"}""", false, false, false)] // DS-20: not a PF
    public void DS21_PfAddress_SelectsPfAndItsVfs(string json, bool pf, bool vf, bool otherVf)
    {
        var set = DeviceSpecParser.Parse([json], _pfHost);
        (set.Match(_pfDevice).IsMatch, set.Match(_vfDevice).IsMatch, set.Match(_otherVf).IsMatch).ShouldBe((pf, vf, otherVf));
    }

    [Theory]
    [InlineData("""{"address":"0000:0a:00.0"}""", true)] // DS-20
    [InlineData("""{"address":{"domain":"0","bus":"0a","slot":"0","function":"0"}}""", false)] // DS-20: typed, unpadded
    [InlineData("""{"address":{"domain":"","bus":"0a","slot":"00","function":"0"}}""", false)] // DS-20: ":0a:00.0" exists nowhere
    [InlineData("""{"address":"*:0a:00.0"}""", false)] // DS-20
    public void DS20_IsPhysicalFunction_ReportedOnTheAddress(string json, bool isPf) =>
        ParseOne(json, _pfHost).Address!.IsPhysicalFunction.ShouldBe(isPf);

    [Fact]
    public void DS22_PfTest_DoneOnceAtParseTime()
    {
        var probe = new CountingProbe(_pfHost);
        var set = DeviceSpecParser.Parse(["""{"address":"0000:0a:00.0"}"""], probe);
        set.Match(_vfDevice);
        set.Match(_otherVf);
        probe.PfQuestions.ShouldBe(1);
    }

    // 01 §10 remote-managed PF-address cases: PF 0000:0a:00.0 ids 8086:5057, its VF device id 5058
    private static readonly PciDeviceListProbe _remoteHost =
        new([Pf("0000:0a:00.0", "8086", "5057", netdev: "p0", vfProductId: "5058")]);

    [Theory]
    [InlineData("8086", "5058", null)] // DS-29: selects VFs
    [InlineData("*", "5058", null)] // DS-29
    [InlineData("*", "*", PciErrorKinds.PciDeviceInvalidPFRemoteManaged)] // DS-29
    [InlineData("8086", "*", PciErrorKinds.PciDeviceInvalidPFRemoteManaged)] // DS-29
    [InlineData("8086", "5057", PciErrorKinds.PciDeviceInvalidPFRemoteManaged)] // DS-29
    [InlineData("8080", "5050", PciErrorKinds.PciConfigInvalidSpec)] // DS-29
    [InlineData("8086", "5050", PciErrorKinds.PciConfigInvalidSpec)] // DS-29
    [InlineData("8080", "5058", PciErrorKinds.PciConfigInvalidSpec)] // DS-29
    public void DS29_RemoteManagedPfAddress_MustSelectOnlyVfs(string vendor, string product, string? kind)
    {
        var json = $$"""{"vendor_id":"{{vendor}}","product_id":"{{product}}","address":"0000:0a:00.0","remote_managed":"true"}""";
        if (kind is null)
        {
            ParseOne(json, _remoteHost).IsRemoteManaged.ShouldBeTrue();
        }
        else
        {
            ParseError(json, _remoteHost).Kind.ShouldBe(kind);
        }
    }

    [Theory]
    [InlineData("*", "*")] // DS-29
    [InlineData("8080", "5050")] // DS-29
    public void DS29_RemoteManagedFalse_NoHostChecks(string vendor, string product) =>
        ParseOne($$"""{"vendor_id":"{{vendor}}","product_id":"{{product}}","address":"0000:0a:00.0","remote_managed":"false"}""", _remoteHost)
            .IsRemoteManaged.ShouldBeFalse();

    [Fact]
    public void DS29_RemoteManagedPfUnreadable_NotFoundById()
    {
        // a PF whose VF product cannot be read (no vf id, no VF listed)
        var host = new PciDeviceListProbe([Pf("0000:0a:00.0", "8086", "5057")]);
        var error = ParseError("""{"product_id":"5058","address":"0000:0a:00.0","remote_managed":"true"}""", host);
        error.Kind.ShouldBe(PciErrorKinds.PciDeviceNotFoundById);
        error.Message.ShouldContain("PCI device 0000:0a:00.0 not found");
    }

    [Fact]
    public void DS29_RemoteManagedUnknownDevname_NotPresent() =>
        ParseError("""{"devname":"nope","remote_managed":"yes"}""").Kind.ShouldBe(PciErrorKinds.PciDeviceRemoteManagedNotPresent);

    [Fact]
    public void DS29_RemoteManagedWithoutSerial_ValidButNoMatch()
    {
        ParseOne("""{"vendor_id":"8086","remote_managed":"yes"}""").IsRemoteManaged.ShouldBeTrue();
        Matches("""{"vendor_id":"8086","remote_managed":"yes"}""", Device).ShouldBeFalse();
    }

    [Theory]
    [InlineData("MT2113X00000", true)] // DS-29
    [InlineData("", false)] // DS-29: empty serial
    [InlineData(null, false)] // DS-29: no serial
    public void DS29_RemoteManagedNotPf_MatchesOnlyWithSerial(string? serial, bool matches)
    {
        const string json = """{"vendor_id":"8086","product_id":"5057","address":"0000:0a:00.0","remote_managed":"true"}""";
        var device = Plain("0000:0a:00.0", "8086", "5057") with { CardSerialNumber = serial };
        Matches(json, device).ShouldBe(matches);
    }

    [Fact]
    public void DS29_Latest_VfMayUseItsPfSerial()
    {
        var pf = Pf("0000:0a:00.0") with { CardSerialNumber = "MT1" };
        var set = DeviceSpecParser.Parse(["""{"product_id":"154c","remote_managed":"true"}"""], NoHost);
        set.Match(_vfDevice, a => a == pf.Address ? pf : null).IsMatch.ShouldBeTrue();
        set.Match(_vfDevice).IsMatch.ShouldBeFalse();
    }

    [Fact]
    public void DS5_FirstMatchingSpecWins()
    {
        var set = DeviceSpecParser.Parse(
            ["""{"vendor_id":"8087","physical_network":"a"}""", """[{"vendor_id":"8086","physical_network":"b"},{"physical_network":"c"}]"""],
            NoHost);
        var match = set.Match(Device);
        match.Spec!.Index.ShouldBe(1);
        match.Spec.GetTagString("physical_network").ShouldBe("b");
    }

    [Theory]
    [InlineData("""{"vendor_id":"8086","product_id":"5057","address":"0000:0a:00.5"}""", true)] // DS-34: all hold
    [InlineData("""{"vendor_id":"8087","product_id":"5057","address":"0000:0a:00.5"}""", false)] // DS-34: vendor
    [InlineData("""{"vendor_id":"8086","product_id":"5058","address":"0000:0a:00.5"}""", false)] // DS-34: product
    [InlineData("""{"vendor_id":"8086","product_id":"5057","address":"0000:0a:00.6"}""", false)] // DS-34: address
    [InlineData("""{"vendor_id":"8086","product_id":"5057","remote_managed":"true"}""", false)] // DS-34: no serial
    [InlineData("""{"vendor_id":"8086","product_id":"5057","remote_managed":"false"}""", true)] // DS-34
    public void DS34_Match_NeedsEveryCondition(string json, bool matches) => Matches(json, Device).ShouldBe(matches);

    [Fact]
    public void DS36_DeviceMatchingNoSpec_NotTracked()
    {
        var specs = DeviceSpecParser.Parse(["""{"vendor_id":"8087"}"""], NoHost);
        specs.Match(Device).ShouldBe(DeviceSpecMatch.None);

        var tracker = new PciHostBuilder().WithSpec("""{"vendor_id":"8087"}""")
            .With(Device, Plain("0000:0b:00.0", "8087", "0001")).Build();
        tracker.Devices.Select(d => d.Address).ShouldBe(["0000:0b:00.0"]);
        tracker.Find(Device.Address).ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"managed":"YES","live_migratable":"0"}""", "managed=true,live_migratable=false")] // DS-32
    [InlineData("""{"managed":null,"live_migratable":null}""", "")] // DS-32: null is not copied
    [InlineData("""{"one_time_use":"no","resource_class":"CUSTOM_X","traits":"a"}""", "")] // DS-32: placement only
    public void DS32_ManagedAndLiveMigratable_CopiedOntoTheDevice(string json, string extraInfo)
    {
        var device = new PciHostBuilder().WithSpec(json).With(Device).Build().Find(Device.Address)!;
        string.Join(",", device.ExtraInfo.Where(p => p.Key is not "capabilities").Select(p => $"{p.Key}={p.Value}"))
            .ShouldBe(extraInfo);
    }

    [Fact]
    public void DS35_OutOfRangeDevice_SkippedOthersProcessed()
    {
        var set = DeviceSpecParser.Parse(["""{"vendor_id":"8086","product_id":"2032"}"""], NoHost);
        var match = set.Match(Plain("10000:00:02.0", "8086", "2032"));
        match.IsMatch.ShouldBeFalse();
        match.Rejection.ShouldBe("address rejected: property domain (10000) is greater than the maximum allowable value (FFFF).");
        set.Match(Plain("0000:00:02.0", "8086", "2032")).IsMatch.ShouldBeTrue();
    }

    [Fact]
    public void DS35_RejectedEvenWhenVendorDiffers() =>
        DeviceSpecParser.Parse(["""{"vendor_id":"1234"}"""], NoHost).Match(Plain("0000:0a:00.9")).Rejection
            .ShouldBe("address rejected: property func (9) is greater than the maximum allowable value (7).");

    [Fact]
    public void DS35_UnresolvedDevnameSpec_SkipsAddressParsing()
    {
        var set = DeviceSpecParser.Parse(["""{"devname":"nope"}""", """{"vendor_id":"1234"}"""], NoHost);
        set.Match(Plain("10000:00:02.0")).Rejection.ShouldNotBeNull();
        DeviceSpecParser.Parse(["""{"devname":"nope"}"""], NoHost).Match(Plain("10000:00:02.0")).ShouldBe(DeviceSpecMatch.None);
    }

    [Fact]
    public void DS35_BadParentAddressOfPfSpec_Rejected()
    {
        var set = DeviceSpecParser.Parse(["""{"address":"0000:0a:00.0"}"""], _pfHost);
        set.Match(Vf("0000:0a:02.2", "0000:0a:00.x")).Rejection!.ShouldContain("property func ('x')");
    }

    [Fact]
    public void DS35_Latest_MalformedAddress_Rejected() =>
        DeviceSpecParser.Parse(["{}"], NoHost).Match(Plain("0000:0a.0")).Rejection!
            .ShouldContain("PCI address '0000:0a.0' is not in the form domain:bus:slot.function");

    [Fact]
    public void DS26_RejectDevnameForPlacement_NamesTheSpec()
    {
        var set = DeviceSpecParser.Parse(["{}", """{"devname":"eth0"}"""], NoHost, Zed with { ReportInPlacement = true });
        var error = Should.Throw<PciException>(set.RejectDevnameForPlacement).Error;
        error.Kind.ShouldBe(PciErrorKinds.PlacementPciException);
        error.Message.ShouldContain("""{"vendor_id":"*","product_id":"*","devname":"eth0"}""");
        DeviceSpecParser.Parse(["{}"], NoHost).RejectDevnameForPlacement();
    }

    private sealed class CountingProbe(IPciHostProbe inner) : IPciHostProbe
    {
        public int PfQuestions { get; private set; }

        public bool IsPhysicalFunction(string addressText)
        {
            PfQuestions++;
            return inner.IsPhysicalFunction(addressText);
        }

        public string? FindFunctionByNetdev(string ifname) => inner.FindFunctionByNetdev(ifname);

        public (string VendorId, string ProductId)? GetIds(string addressText) => inner.GetIds(addressText);

        public string? GetVfProductId(string pfAddressText) => inner.GetVfProductId(pfAddressText);
    }
}

using PciPassthrough.Core.Config;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using static PciPassthrough.Testing.Config.PciDevices;

namespace PciPassthrough.Core.Tests.Config;

/// <summary>The hosts and shorthands of the 01 §10 example tables.</summary>
internal static class DeviceSpecTestHost
{
    /// <summary>"Device used unless stated" of 01 §10.</summary>
    public static readonly PciDeviceRecord Device = Vf("0000:0a:00.5", "0000:0a:00.0", "8086", "5057");

    /// <summary>No address is a PF, no interface exists.</summary>
    public static readonly PciDeviceListProbe NoHost = new([]);

    public static DeviceSpec ParseOne(string json, IPciHostProbe? probe = null, DeviceSpecOptions? options = null) =>
        DeviceSpecParser.Parse([json], probe ?? NoHost, options).Specs.ShouldHaveSingleItem();

    public static PciError ParseError(string json, IPciHostProbe? probe = null, DeviceSpecOptions? options = null) =>
        ParseErrorOf([json], probe, options);

    public static PciError ParseErrorOf(string[] lines, IPciHostProbe? probe = null, DeviceSpecOptions? options = null) =>
        Should.Throw<PciException>(() => DeviceSpecParser.Parse(lines, probe ?? NoHost, options)).Error;

    public static bool Matches(string json, PciDeviceRecord device, IPciHostProbe? probe = null, DeviceSpecOptions? options = null) =>
        DeviceSpecParser.Parse([json], probe ?? NoHost, options).Match(device).IsMatch;

    public static string Fields(DeviceSpec spec) =>
        $"{spec.Address!.Domain},{spec.Address.Bus},{spec.Address.Slot},{spec.Address.Function}";

    public static readonly DeviceSpecOptions Zed = new() { Release = NovaRelease.Zed };
}

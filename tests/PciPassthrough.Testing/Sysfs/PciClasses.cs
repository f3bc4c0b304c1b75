namespace PciPassthrough.Testing.Sysfs;

/// <summary>PCI class codes as sysfs <c>class</c> files hold them.</summary>
public static class PciClasses
{
    public const string Ethernet = "0x020000";
    public const string Vga = "0x030000";
    public const string Display3D = "0x030200";
    public const string Audio = "0x040300";
    public const string Nvme = "0x010802";
    public const string PciBridge = "0x060400";
    public const string Accelerator = "0x120000";
}

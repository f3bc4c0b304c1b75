using PciPassthrough.Core.Config;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Libvirt;

/// <summary>A VF whose trust the compute turns on through its PF while <paramref name="Server"/> holds it (07 LV-10).</summary>
/// <param name="Server">The server holding the VF.</param>
/// <param name="Port">The port bound to it.</param>
/// <param name="Address">The VF's PCI address (the binding's <c>pci_slot</c>).</param>
public sealed record VfTrustSetting(string Server, string Port, string Address);

/// <summary>
/// 07 LV-10: a port's <c>trusted</c> is no part of the guest XML; the compute sets the VF's trust on its PF
/// (<c>ip link set &lt;PF netdev&gt; vf &lt;n&gt; trust on|off</c>), as Nova's hardware-VEB plug does: on at plug for a
/// <c>direct</c> port whose binding profile reads true (leniently); other vnic types never touch the trust setting.
/// The agent turns off what it turned on once the VF is released (<c>VfTrustApplier</c>).
/// </summary>
public static class VfTrust
{
    /// <summary>Whether plugging <paramref name="port"/> turns its VF's trust on.</summary>
    public static bool TurnsOnAtPlug(BoundPort port)
    {
        ArgumentNullException.ThrowIfNull(port);
        return port.VnicType == VnicType.Direct && NovaBoolean.ParseLenient(port.Trusted);
    }
}

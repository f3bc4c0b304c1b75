using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Libvirt;

/// <summary>Decides the virtual IOMMU of a guest on a given compute when its XML is built (07 LV-13…LV-16).</summary>
public static class ViommuResolver
{
    /// <summary>The libvirt release that added the virtio vIOMMU (LV-16, LV-18).</summary>
    internal static Version VirtioSince { get; } = new(8, 3, 0);

    /// <summary>07 LV-14: <c>hw_emulation_architecture</c>, else <c>hw_architecture</c> (image), else the host's.</summary>
    public static string GuestArchitecture(string? emulationArchitecture, string? imageArchitecture, string hostArchitecture) =>
        NonEmpty(emulationArchitecture) ?? NonEmpty(imageArchitecture) ?? hostArchitecture;

    /// <summary>
    /// 07 LV-14: the image's <c>hw_machine_type</c>, else the <c>[libvirt] hw_machine_type</c> entry for the
    /// architecture, else the built-in default; null when the architecture has none.
    /// </summary>
    /// <param name="imageMachineType">The image property <c>hw_machine_type</c>.</param>
    /// <param name="configuredByArchitecture"><c>[libvirt] hw_machine_type</c> as architecture → machine type.</param>
    /// <param name="architecture">The guest architecture (<see cref="GuestArchitecture"/>).</param>
    public static string? MachineType(
        string? imageMachineType, IReadOnlyDictionary<string, string>? configuredByArchitecture, string architecture) =>
        NonEmpty(imageMachineType)
        ?? NonEmpty(configuredByArchitecture?.GetValueOrDefault(architecture))
        ?? architecture switch
        {
            "x86_64" or "i686" => "pc",
            // Nova's name for ARMv7 is armv7l
            "aarch64" or "armv7l" => "virt",
            "ppc64le" => "pseries",
            "s390" or "s390x" => "s390-ccw-virtio",
            _ => null,
        };

    /// <summary>07 LV-13…LV-16: the guest's vIOMMU, or null when none is asked for or the virt type ignores it.</summary>
    /// <param name="model">The model asked for (07 LV-11, <see cref="ViommuModels.Resolve"/>).</param>
    /// <param name="virtType"><c>[libvirt] virt_type</c>: only <c>kvm</c> and <c>qemu</c> get a vIOMMU (LV-13).</param>
    /// <param name="architecture">The guest architecture (<see cref="GuestArchitecture"/>).</param>
    /// <param name="machineType">The guest machine type (<see cref="MachineType"/>); null when unknown.</param>
    /// <param name="libvirtVersion">The compute's libvirt, for <c>auto</c> (LV-16).</param>
    /// <exception cref="PciException">LV-15: <c>InvalidVIOMMUMachineType</c> (x86 without q35, aarch64 without virt),
    /// <c>InvalidVIOMMUArchitecture</c> (any other architecture).</exception>
    public static GuestViommu? Resolve(
        ViommuModel? model, string virtType, string architecture, string? machineType, Version libvirtVersion)
    {
        ArgumentNullException.ThrowIfNull(libvirtVersion);
        if (model is not { } asked || virtType is not ("kvm" or "qemu"))
        {
            return null;
        }

        var x86 = architecture is "x86_64" or "i686";
        var required = x86 ? "q35" : architecture == "aarch64" ? "virt" : throw new PciException(
            PciErrorKinds.InvalidVIOMMUArchitecture,
            $"a vIOMMU needs an x86_64, i686 or aarch64 guest; this guest's architecture is {architecture}.");

        // LV-15: an unknown machine type is not checked
        if (machineType is not null && !machineType.Contains(required, StringComparison.Ordinal))
        {
            throw new PciException(PciErrorKinds.InvalidVIOMMUMachineType,
                $"a vIOMMU on a {architecture} guest needs a machine type containing '{required}', not '{machineType}'; " +
                $"set the image property hw_machine_type={required} or [libvirt] hw_machine_type = {architecture}={required}.");
        }

        var q35 = machineType?.Contains("q35", StringComparison.Ordinal) == true;
        var concrete = asked != ViommuModel.Auto ? asked
            : libvirtVersion >= VirtioSince ? ViommuModel.Virtio
            : x86 && q35 ? ViommuModel.Intel
            : ViommuModel.Smmuv3;
        return new GuestViommu(concrete, q35);
    }

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

using System.Globalization;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Numa;

namespace PciPassthrough.Core.Flavors;

/// <summary>
/// The flavor/image consistency checks the compute API runs before a boot (SIM-31 stage <c>flavor_image</c>,
/// Nova's <c>_validate_flavor_image_numa_pci</c>): memory encryption, PMU, serial ports, realtime, CPU topology,
/// multiqueue, then the whole NUMA constraint computation (05 §1), in that order.
/// </summary>
public static class FlavorImageChecks
{
    /// <summary>Unset CPU topology limits mean "up to this many".</summary>
    private const long NoTopologyLimit = 65536;

    private static readonly (string Flavor, string Image)[] _maxKeys = TopologyKeys("cpu_max_"), _preferredKeys = TopologyKeys("cpu_");

    /// <returns>The guest NUMA topology the last check computed (null: none), so the caller need not compute it again.</returns>
    /// <exception cref="PciException">The first inconsistency, typed as Nova's exception.</exception>
    public static GuestNumaTopology? Validate(Flavor flavor, ImageProperties image)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        ArgumentNullException.ThrowIfNull(image);
        MemoryEncryptionRequested(flavor, image);
        CheckAgreement(flavor, image, "pmu", "hw:pmu", "hw_pmu");
        CheckSerialPorts(flavor, image);
        CpuConstraints.RealtimeCpusOf(flavor, image);
        CheckCpuTopology(flavor, image);
        if (flavor.Vcpus >= 2)
        {
            CheckAgreement(flavor, image, "vif_multiqueue_enabled", "hw:vif_multiqueue_enabled", "hw_vif_multiqueue_enabled");
        }

        return GuestNumaConstraints.Compute(flavor, image);
    }

    /// <summary>
    /// Whether guest memory encryption is asked for (<c>hw:mem_encryption</c> / <c>hw_mem_encryption</c>). Nova then
    /// names the image in its checks (UEFI firmware, q35 machine type, flavor/image agreement), so an image
    /// request, a conflict or a failed check all end in <see cref="FlavorErrorKinds.NotImplementedError"/>.
    /// </summary>
    /// <exception cref="PciException"><c>NotImplementedError</c>.</exception>
    internal static bool MemoryEncryptionRequested(Flavor flavor, ImageProperties image)
    {
        var flavorText = flavor.ExtraSpec("hw:mem_encryption");
        bool? flavorValue = flavorText is null ? null : PythonText.IsTrueWord(flavorText);
        var imageValue = image.Boolean("hw_mem_encryption");
        if (flavorValue != true && imageValue != true)
        {
            return false;
        }

        if (flavorValue is not null && imageValue is not null && flavorValue != imageValue)
        {
            throw Conflict("mem_encryption", flavorText!, imageValue.Value);
        }

        if (imageValue == true)
        {
            throw ImageWithoutName("the image asks for memory encryption (hw_mem_encryption)");
        }

        if (image.Text("hw_firmware_type") != "uefi")
        {
            throw ImageWithoutName("memory encryption needs an image with hw_firmware_type = uefi");
        }

        return image.Text("hw_machine_type") is not { } machineType || machineType.Contains("q35", StringComparison.Ordinal)
            ? true
            : throw ImageWithoutName($"memory encryption needs a q35 machine type, not hw_machine_type = {machineType}");
    }

    /// <summary>A conflict Nova reports with the image's name, which images here do not have.</summary>
    internal static PciException ImageWithoutName(string problem) =>
        new(FlavorErrorKinds.NotImplementedError,
            $"{problem}; Nova fails while naming the image in its message (Cannot load 'name' in the base class).",
            novaException: false);

    /// <summary>A boolean set on both flavor (<c>hw:KEY</c>) and image (<c>hw_KEY</c>) must agree.</summary>
    private static void CheckAgreement(Flavor flavor, ImageProperties image, string key, string flavorKey, string imageKey)
    {
        var flavorText = flavor.ExtraSpec(flavorKey);
        var imageValue = image.Boolean(imageKey);
        if (flavorText is not null && imageValue is not null && PythonText.IsTrueWord(flavorText) != imageValue)
        {
            throw Conflict(key, flavorText, imageValue.Value);
        }
    }

    /// <summary>The image may lower the flavor's serial port count, never raise it.</summary>
    private static void CheckSerialPorts(Flavor flavor, ImageProperties image)
    {
        var flavorText = flavor.ExtraSpec("hw:serial_port_count");
        if (string.IsNullOrEmpty(flavorText))
        {
            return;
        }

        if (!PythonText.TryParseInt(flavorText, out var flavorPorts))
        {
            throw new PciException(FlavorErrorKinds.ImageSerialPortNumberInvalid,
                $"hw:serial_port_count = '{flavorText}' is not an integer.");
        }

        if (flavorPorts != 0 && image.Integer("hw_serial_port_count") is { } imagePorts and not 0 && imagePorts > flavorPorts)
        {
            throw new PciException(FlavorErrorKinds.ImageSerialPortNumberExceedFlavorValue, string.Create(CultureInfo.InvariantCulture,
                $"image hw_serial_port_count = {imagePorts} exceeds the flavor's hw:serial_port_count = {flavorPorts}."));
        }
    }

    /// <summary>Image CPU topology limits may only lower the flavor's; preferences must respect the limits.</summary>
    private static void CheckCpuTopology(Flavor flavor, ImageProperties image)
    {
        var (flavorMax, imageMax) = TopologyValues(flavor, image, _maxKeys);
        var limit = new long[3];
        for (var i = 0; i < limit.Length; i++)
        {
            if (flavorMax[i] != 0 && imageMax[i] > flavorMax[i])
            {
                throw new PciException(FlavorErrorKinds.ImageVCPULimitsRangeExceeded,
                    $"image CPU limits (sockets:cores:threads {Show(imageMax)}) exceed the flavor's ({Show(flavorMax)}).");
            }

            limit[i] = imageMax[i] != 0 ? imageMax[i] : flavorMax[i] != 0 ? flavorMax[i] : NoTopologyLimit;
        }

        var (_, imagePreferred) = TopologyValues(flavor, image, _preferredKeys);
        for (var i = 0; i < limit.Length; i++)
        {
            if (imagePreferred[i] > limit[i])
            {
                throw new PciException(FlavorErrorKinds.ImageVCPUTopologyRangeExceeded,
                    $"image CPU topology (sockets:cores:threads {Show(imagePreferred)}) exceeds the limits {Show(limit)}.");
            }
        }

        static string Show(long[] values) => string.Join(':', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Flavor and image values of <c>{prefix}sockets</c>, <c>cores</c>, <c>threads</c> (0 when unset).</summary>
    private static (long[] Flavor, long[] Image) TopologyValues(Flavor flavor, ImageProperties image, (string Flavor, string Image)[] keys)
    {
        var (flavorValues, imageValues) = (new long[keys.Length], new long[keys.Length]);
        for (var i = 0; i < keys.Length; i++)
        {
            flavorValues[i] = flavor.ExtraSpec(keys[i].Flavor) is { } text
                ? PythonText.TryParseInt(text, out var value)
                    ? value
                    : throw new PciException(FlavorErrorKinds.InvalidRequest,
                        $"Invalid flavor extra spec {keys[i].Flavor} = '{text}': expected an integer.")
                : 0;
            imageValues[i] = image.Integer(keys[i].Image) ?? 0;
        }

        return (flavorValues, imageValues);
    }

    /// <summary>The flavor (<c>hw:{prefix}sockets</c>…) and image (<c>hw_{prefix}sockets</c>…) keys of a CPU topology,
    /// built once rather than per boot.</summary>
    private static (string Flavor, string Image)[] TopologyKeys(string prefix) =>
        [.. new[] { "sockets", "cores", "threads" }.Select(part => ($"hw:{prefix}{part}", $"hw_{prefix}{part}"))];

    private static PciException Conflict(string key, string flavorText, bool imageValue) =>
        ImageWithoutName($"flavor hw:{key} = {flavorText} conflicts with image hw_{key} = {imageValue}");
}

using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Requests;

/// <summary>The virtual IOMMU a guest asks for (07 §3).</summary>
public enum ViommuModel
{
    Intel,
    Smmuv3,
    Virtio,

    /// <summary>Resolved on the compute: <c>virtio</c> with libvirt ≥ 8.3.0, else <c>intel</c> on x86 q35, else <c>smmuv3</c> (07 LV-16).</summary>
    Auto,
}

public static class ViommuModels
{
    public const string FlavorKey = "hw:viommu_model", ImageKey = "hw_viommu_model";

    private static readonly string[] _names = ["intel", "smmuv3", "virtio", "auto"];

    /// <summary>The four words, lower-case, in <see cref="ViommuModel"/> order (07 LV-12).</summary>
    public static IReadOnlyList<string> Names => _names;

    public static string ToNovaName(this ViommuModel model) => Names[(int)model];

    /// <summary>Parses one of the four words exactly (case-sensitive, as Nova's enum).</summary>
    public static bool TryParse(string? text, out ViommuModel model)
    {
        var index = text is null ? -1 : Array.IndexOf(_names, text);
        model = index < 0 ? default : (ViommuModel)index;
        return index >= 0;
    }

    /// <summary>
    /// 07 LV-11: the flavor's model if non-empty (it silently wins over the image), else the image's; null when
    /// neither asks for a vIOMMU. The image value is always checked (LV-12).
    /// </summary>
    /// <exception cref="PciException"><c>InvalidRequest</c> naming the key whose value is not a model.</exception>
    public static ViommuModel? Resolve(string? flavorValue, string? imageValue)
    {
        var image = Parse(ImageKey, imageValue);
        return string.IsNullOrEmpty(flavorValue) ? image : Parse(FlavorKey, flavorValue);
    }

    private static ViommuModel? Parse(string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return TryParse(value, out var model) ? model : throw new PciException(PciErrorKinds.InvalidRequest,
            $"{key}={value} is not a vIOMMU model; expected one of {string.Join(", ", Names)}.");
    }
}

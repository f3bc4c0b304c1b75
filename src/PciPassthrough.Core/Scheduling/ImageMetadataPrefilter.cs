using System.Text.Json;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// 07 LV-19, Nova's <c>transform_image_metadata</c> request filter (<c>[scheduler] image_metadata_prefilter</c>, off by
/// default): an image <c>hw_viommu_model</c> becomes a required root trait (<see cref="HypervisorCapabilities.TraitOf"/>),
/// which a compute reports per LV-18. Only the vIOMMU key is translated: Nova also maps disk/cdrom bus, video and vif
/// models and architectures, whose traits no compute of ours reports, so translating them would make such images
/// unschedulable. The flavor's <c>hw:viommu_model</c> adds no trait (Nova's behaviour); a value that is not a model
/// adds none either (Nova drops the whole filter on an unknown trait; LV-12 refuses the value at build).
/// </summary>
public static class ImageMetadataPrefilter
{
    /// <summary>The root traits the prefilter requires for an image with <paramref name="imageProperties"/>.</summary>
    /// <param name="imageProperties">The image properties as given.</param>
    /// <param name="enabled"><c>[scheduler] image_metadata_prefilter</c>.</param>
    public static IReadOnlySet<string> RequiredTraits(IReadOnlyDictionary<string, JsonElement> imageProperties, bool enabled)
    {
        ArgumentNullException.ThrowIfNull(imageProperties);
        var traits = new HashSet<string>(StringComparer.Ordinal);
        if (enabled && imageProperties.TryGetValue(ViommuModels.ImageKey, out var value) && value.ValueKind == JsonValueKind.String
            && ViommuModels.TryParse(value.GetString(), out var model))
        {
            traits.Add(HypervisorCapabilities.TraitOf(model));
        }

        return traits;
    }
}

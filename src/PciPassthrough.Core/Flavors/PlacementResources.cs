using System.Numerics;
using System.Text.RegularExpressions;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Flavors;

/// <summary>
/// The Placement resources a boot asks for (SIM-32, Nova's <c>ResourceRequest.from_request_spec</c> merged over
/// all request groups): <c>resources[N]:RC</c> extra specs, then the CPU policy's VCPU/PCPU, then the flavor's
/// VCPU, MEMORY_MB and DISK_GB where no extra spec gave them, memory encryption and persistent memory; classes
/// with amount 0 are left out.
/// </summary>
public static partial class PlacementResources
{
    /// <exception cref="PciException"><c>Invalid</c> for a bad vTPM or secure boot request, <c>NotImplementedError</c>
    /// when flavor and image disagree on one (the API checks those first here).</exception>
    public static IReadOnlyDictionary<string, BigInteger> Compute(Flavor flavor, ImageProperties image)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        ArgumentNullException.ThrowIfNull(image);
        var groups = new RequestGroups();
        foreach (var (key, value) in flavor.ExtraSpecs)
        {
            var match = GroupedKey().Match(key);
            if (match.Success && match.Groups["prefix"].Value == "resources")
            {
                groups.Add(match.Groups["suffix"].Success ? match.Groups["suffix"].Value : null, match.Groups["name"].Value, value);
            }
        }

        AddPinnedCpus(flavor, image, groups);
        var merged = groups.Merged();
        if (!merged.ContainsKey("VCPU") && !merged.ContainsKey("PCPU"))
        {
            groups.Add(null, "VCPU", flavor.Vcpus);
        }

        if (!merged.ContainsKey("MEMORY_MB"))
        {
            groups.Add(null, "MEMORY_MB", flavor.MemoryMb);
        }

        if (!merged.ContainsKey("DISK_GB"))
        {
            var disk = (BigInteger)flavor.EphemeralGb + (flavor.Swap == 0 ? 0 : (long)Math.Ceiling(flavor.Swap / 1024.0)) + flavor.RootGb;
            if (disk != 0)
            {
                groups.Add(null, "DISK_GB", disk);
            }
        }

        if (FlavorImageChecks.MemoryEncryptionRequested(flavor, image))
        {
            groups.Add(null, "MEM_ENCRYPTION_CONTEXT", 1);
        }

        foreach (var label in (flavor.ExtraSpec("hw:pmem") ?? "").Split(',').Select(PythonText.Strip).Where(l => l.Length > 0)
                     .GroupBy(label => "CUSTOM_" + NonAlphanumeric().Replace("PMEM_NAMESPACE_" + label, "_").ToUpperInvariant()))
        {
            groups.Add(null, label.Key, label.Count());
        }

        CheckTrustedPlatformModule(flavor, image);
        CheckSecureBoot(flavor, image);
        return groups.Merged().Where(resource => resource.Value != 0).ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>Dedicated guests ask for PCPU instead of VCPU; mixed ones for both (+1 PCPU for isolated emulator threads).</summary>
    private static void AddPinnedCpus(Flavor flavor, ImageProperties image, RequestGroups groups)
    {
        var policy = CpuConstraints.CpuPolicyOf(flavor, image);
        var isolate = CpuConstraints.EmulatorThreadsPolicyOf(flavor) == EmulatorThreadsPolicy.Isolate;
        long pcpus;
        switch (policy)
        {
            case CpuPolicy.Dedicated:
                pcpus = flavor.Vcpus;
                break;
            case CpuPolicy.Mixed:
                pcpus = (CpuConstraints.DedicatedMaskOf(flavor) ?? CpuConstraints.RealtimeCpusOf(flavor, image))?.Count ?? 0;
                groups.Add(null, "VCPU", flavor.Vcpus - pcpus);
                break;
            default:
                return;
        }

        groups.Add(null, "PCPU", isolate ? pcpus + 1 : pcpus);
    }

    /// <summary><c>hw:tpm_version</c>/<c>hw:tpm_model</c> against <c>hw_tpm_version</c>/<c>hw_tpm_model</c>.</summary>
    private static void CheckTrustedPlatformModule(Flavor flavor, ImageProperties image)
    {
        if (UniqueValue(flavor, image, "hw:tpm_version", "hw_tpm_version") is not { } version)
        {
            return;
        }

        if (version is not ("1.2" or "2.0"))
        {
            throw Invalid($"Invalid TPM version '{version}'. Allowed values: 1.2, 2.0.");
        }

        switch (UniqueValue(flavor, image, "hw:tpm_model", "hw_tpm_model"))
        {
            case null or "tpm-tis":
                return;
            case "tpm-crb" when version != "2.0":
                throw Invalid("TPM model tpm-crb is only valid with TPM version 2.0.");
            case "tpm-crb":
                return;
            case var model:
                throw Invalid($"Invalid TPM model '{model}'. Allowed values: tpm-tis, tpm-crb.");
        }
    }

    private static void CheckSecureBoot(Flavor flavor, ImageProperties image)
    {
        if (UniqueValue(flavor, image, "os:secure_boot", "os_secure_boot") is { } policy && policy is not ("required" or "disabled" or "optional"))
        {
            throw Invalid($"Invalid secure boot policy '{policy}'. Allowed values: required, disabled, optional.");
        }
    }

    /// <summary>The flavor's value, or else the image's; both set and different is a conflict.</summary>
    private static string? UniqueValue(Flavor flavor, ImageProperties image, string flavorKey, string imageKey)
    {
        var flavorValue = flavor.ExtraSpec(flavorKey);
        var imageValue = image.Text(imageKey);
        if (!string.IsNullOrEmpty(flavorValue) && !string.IsNullOrEmpty(imageValue) && flavorValue != imageValue)
        {
            throw FlavorImageChecks.ImageWithoutName($"flavor {flavorKey} = {flavorValue} conflicts with image {imageKey} = {imageValue}");
        }

        return string.IsNullOrEmpty(flavorValue) ? imageValue : flavorValue;
    }

    private static PciException Invalid(string message) => new(FlavorErrorKinds.Invalid, message);

    [GeneratedRegex(@"^(?<prefix>resources|trait)(?<suffix>[a-zA-Z0-9_-]{1,64})?:(?<name>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupedKey();

    [GeneratedRegex("[^0-9A-Za-z]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonAlphanumeric();

    /// <summary>Placement request groups: the unsuffixed one (key null) and one per suffix, in first-seen order.</summary>
    private sealed class RequestGroups
    {
        private readonly List<(string? Suffix, List<KeyValuePair<string, BigInteger>> Resources)> _groups = [];

        /// <summary>Nova ignores unknown classes, non-integer and negative amounts, but still creates the group.</summary>
        public void Add(string? suffix, string resourceClass, string amount)
        {
            var group = Group(suffix);
            if (IntegerText.TryParse(amount, out BigInteger value))
            {
                Set(group, resourceClass, value);
            }
        }

        public void Add(string? suffix, string resourceClass, BigInteger amount) => Set(Group(suffix), resourceClass, amount);

        public Dictionary<string, BigInteger> Merged()
        {
            var merged = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
            foreach (var (_, resources) in _groups)
            {
                foreach (var (resourceClass, amount) in resources)
                {
                    merged[resourceClass] = merged.GetValueOrDefault(resourceClass) + amount;
                }
            }

            return merged;
        }

        private static void Set(List<KeyValuePair<string, BigInteger>> group, string resourceClass, BigInteger amount)
        {
            var known = resourceClass.StartsWith("CUSTOM_", StringComparison.Ordinal) || PlacementNames.ResourceClasses.Contains(resourceClass);
            if (!known || amount < 0)
            {
                return;
            }

            var at = group.FindIndex(resource => resource.Key == resourceClass);
            if (at >= 0)
            {
                group[at] = new(resourceClass, amount);
            }
            else
            {
                group.Add(new(resourceClass, amount));
            }
        }

        private List<KeyValuePair<string, BigInteger>> Group(string? suffix)
        {
            var found = _groups.FindIndex(group => group.Suffix == suffix);
            if (found >= 0)
            {
                return _groups[found].Resources;
            }

            _groups.Add((suffix, []));
            return _groups[^1].Resources;
        }
    }
}

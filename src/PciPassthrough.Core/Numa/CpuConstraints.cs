using System.Globalization;
using System.Text.RegularExpressions;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Flavors;

namespace PciPassthrough.Core.Numa;

/// <summary>
/// The CPU-related constraints Nova reads from a flavor and an image (05 NF-2), each validated as Nova's
/// <c>nova/virt/hardware.py</c> does and in its order. Shared by the guest NUMA topology, the flavor/image
/// consistency stage and the Placement resources.
/// </summary>
internal static partial class CpuConstraints
{
    /// <summary>Effective <c>hw:cpu_policy</c>/<c>hw_cpu_policy</c> (without the <c>resources:PCPU</c> implication).</summary>
    /// <exception cref="PciException"><c>InvalidCPUAllocationPolicy</c>, <c>ImageCPUPinningForbidden</c>.</exception>
    public static CpuPolicy? CpuPolicyOf(Flavor flavor, ImageProperties image)
    {
        var flavorText = flavor.ExtraSpec("hw:cpu_policy");
        var flavorPolicy = NumaPolicyNames.ParseCpuPolicy(flavorText);
        if (!string.IsNullOrEmpty(flavorText) && flavorPolicy is null)
        {
            throw new PciException(FlavorErrorKinds.InvalidCPUAllocationPolicy,
                $"flavor extra spec hw:cpu_policy = '{flavorText}' is not a CPU allocation policy; expected dedicated, shared or mixed.");
        }

        var imagePolicy = NumaPolicyNames.ParseCpuPolicy(image.CpuPolicy);
        return (flavorPolicy, imagePolicy) switch
        {
            (CpuPolicy.Mixed, CpuPolicy.Dedicated) or (CpuPolicy.Shared, CpuPolicy.Mixed or CpuPolicy.Dedicated) =>
                throw new PciException(FlavorErrorKinds.ImageCPUPinningForbidden,
                    $"image property hw_cpu_policy = {image.CpuPolicy} asks for more pinning than the flavor's hw:cpu_policy = {flavorText} allows."),
            (null, _) => imagePolicy,
            _ => flavorPolicy,
        };
    }

    /// <summary>
    /// Effective thread policy, as text: an empty flavor value is kept (and later fails as Nova's field does).
    /// </summary>
    /// <exception cref="PciException"><c>InvalidCPUThreadAllocationPolicy</c>, <c>ImageCPUThreadPolicyForbidden</c>.</exception>
    public static string? CpuThreadPolicyOf(Flavor flavor, ImageProperties image)
    {
        var flavorText = flavor.ExtraSpec("hw:cpu_thread_policy");
        if (!string.IsNullOrEmpty(flavorText) && NumaPolicyNames.ParseCpuThreadPolicy(flavorText) is null)
        {
            throw new PciException(FlavorErrorKinds.InvalidCPUThreadAllocationPolicy,
                $"flavor extra spec hw:cpu_thread_policy = '{flavorText}' is not a thread policy; expected prefer, isolate or require.");
        }

        var imageText = image.CpuThreadPolicy;
        if (flavorText is null or "prefer")
        {
            return flavorText ?? imageText;
        }

        return !string.IsNullOrEmpty(imageText) && imageText != flavorText
            ? throw new PciException(FlavorErrorKinds.ImageCPUThreadPolicyForbidden,
                $"image property hw_cpu_thread_policy = {imageText} conflicts with the flavor's hw:cpu_thread_policy = {flavorText}.")
            : flavorText;
    }

    /// <exception cref="PciException"><c>InvalidEmulatorThreadsPolicy</c>.</exception>
    public static EmulatorThreadsPolicy? EmulatorThreadsPolicyOf(Flavor flavor)
    {
        var text = flavor.ExtraSpec("hw:emulator_threads_policy");
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return NumaPolicyNames.ParseEmulatorThreadsPolicy(text) ?? throw new PciException(
            FlavorErrorKinds.InvalidEmulatorThreadsPolicy,
            $"flavor extra spec hw:emulator_threads_policy = '{text}' is invalid; expected share or isolate.");
    }

    /// <summary>The realtime guest CPUs when <c>hw:cpu_realtime</c> is on, else null.</summary>
    /// <exception cref="PciException"><c>RealtimeMaskNotFoundOrInvalid</c>, <c>Invalid</c> (mask text),
    /// <c>InvalidEmulatorThreadsPolicy</c>.</exception>
    public static IReadOnlySet<int>? RealtimeCpusOf(Flavor flavor, ImageProperties image)
    {
        if (flavor.ExtraSpec("hw:cpu_realtime") is not { } enabled || !PythonText.IsTrueWord(enabled))
        {
            return null;
        }

        var mask = NonEmpty(image.CpuRealtimeMask) ?? NonEmpty(flavor.ExtraSpec("hw:cpu_realtime_mask"));
        var realtime = mask is null ? AllCpus(flavor) : MaskCpus(flavor, mask);
        if (realtime.Count == 0)
        {
            throw RealtimeInvalid($"the realtime mask '{mask}' selects no guest CPU");
        }

        var all = AllCpus(flavor);
        if (all.SetEquals(realtime) && EmulatorThreadsPolicyOf(flavor) is null)
        {
            throw RealtimeInvalid("the realtime mask must leave at least one guest CPU for the emulator threads " +
                "(or set hw:emulator_threads_policy)");
        }

        return realtime.IsSubsetOf(all)
            ? realtime
            : throw RealtimeInvalid($"the realtime mask '{mask}' names CPUs beyond the flavor's {flavor.Vcpus} vCPUs");
    }

    /// <summary>The guest CPUs of <c>hw:cpu_dedicated_mask</c>, or null without one.</summary>
    /// <exception cref="PciException"><c>InvalidMixedInstanceDedicatedMask</c>, <c>Invalid</c> (mask text).</exception>
    public static IReadOnlySet<int>? DedicatedMaskOf(Flavor flavor)
    {
        if (NonEmpty(flavor.ExtraSpec("hw:cpu_dedicated_mask")) is not { } mask)
        {
            return null;
        }

        var dedicated = MaskCpus(flavor, mask);
        var all = AllCpus(flavor);
        if (dedicated.Count == 0 || all.IsSubsetOf(dedicated))
        {
            throw new PciException(FlavorErrorKinds.InvalidMixedInstanceDedicatedMask,
                $"hw:cpu_dedicated_mask = '{mask}' must leave both dedicated and shared guest CPUs among the flavor's {flavor.Vcpus} vCPUs.");
        }

        return dedicated.IsSubsetOf(all)
            ? dedicated
            : throw new PciException(FlavorErrorKinds.InvalidMixedInstanceDedicatedMask,
                $"hw:cpu_dedicated_mask = '{mask}' names CPUs beyond the flavor's {flavor.Vcpus} vCPUs.");
    }

    /// <summary>
    /// Σ of <c>resources[N]:VCPU</c> and <c>resources[N]:PCPU</c> (numbered groups only, key read as a prefix,
    /// unparsable amounts skipped) — what makes a flavor implicitly shared or dedicated (05 NF-2).
    /// </summary>
    public static (long Vcpu, long Pcpu) ExplicitCpuResources(Flavor flavor)
    {
        long vcpu = 0, pcpu = 0;
        foreach (var (key, value) in flavor.ExtraSpecs)
        {
            var amount = PythonText.TryParseInt(value, out var parsed) ? parsed : 0;
            if (VcpuResourceKey().IsMatch(key))
            {
                vcpu = SaturatingAdd(vcpu, amount);
            }

            if (PcpuResourceKey().IsMatch(key))
            {
                pcpu = SaturatingAdd(pcpu, amount);
            }
        }

        return (vcpu, pcpu);
    }

    /// <summary>The value of the first <c>trait[N]:HW_CPU_HYPERTHREADING</c> extra spec, else <c>required</c> when
    /// the image requires the trait, else null.</summary>
    public static string? HyperthreadingTrait(Flavor flavor, ImageProperties image)
    {
        foreach (var (key, value) in flavor.ExtraSpecs)
        {
            if (HyperthreadingKey().IsMatch(key))
            {
                return value;
            }
        }

        return image.TraitsRequired.Contains("HW_CPU_HYPERTHREADING") ? "required" : null;
    }

    /// <summary>All guest CPUs, 0 … vcpus−1.</summary>
    /// <exception cref="PciException"><c>MemoryError</c> past <see cref="MaxGuestCpus"/>.</exception>
    public static HashSet<int> AllCpus(Flavor flavor) => [.. GuestCpus(0, flavor.Vcpus)];

    /// <summary>
    /// Nova builds guest CPU sets one element at a time (SIM-31 stage flavor_image): past 2^24 CPUs (a GiB of Python
    /// set) the reference runs out of memory rather than answering, so this is a <c>MemoryError</c>, not a crash.
    /// </summary>
    public const long MaxGuestCpus = 1 << 24;

    /// <summary>Guest CPUs <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 (none for a count below 1).</summary>
    /// <exception cref="PciException"><c>MemoryError</c> when the set would end past <see cref="MaxGuestCpus"/>.</exception>
    public static IEnumerable<int> GuestCpus(long first, long count) => first + count > MaxGuestCpus
        ? throw new PciException(PciErrorKinds.MemoryError, string.Create(CultureInfo.InvariantCulture,
            $"a guest of {first + count} vCPUs: the reference cannot build a CPU set past {MaxGuestCpus} CPUs"), novaException: false)
        : Enumerable.Range((int)first, (int)Math.Max(0, count));

    /// <summary>A mask starting with <c>^</c> excludes from all guest CPUs; otherwise it lists them.</summary>
    private static HashSet<int> MaskCpus(Flavor flavor, string mask) =>
        [.. CpuSpec.Parse(PythonText.Strip(mask).StartsWith('^')
            ? string.Create(CultureInfo.InvariantCulture, $"0-{flavor.Vcpus - 1},{mask}")
            : mask)];

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static long SaturatingAdd(long a, long b) =>
        b > 0 && a > long.MaxValue - b ? long.MaxValue : b < 0 && a < long.MinValue - b ? long.MinValue : a + b;

    private static PciException RealtimeInvalid(string why) =>
        new(FlavorErrorKinds.RealtimeMaskNotFoundOrInvalid, $"Realtime policy needs a valid vCPU mask (hw:cpu_realtime_mask or hw_cpu_realtime_mask): {why}.");

    [GeneratedRegex("^resources([1-9][0-9]*)?:VCPU", RegexOptions.CultureInvariant)]
    private static partial Regex VcpuResourceKey();

    [GeneratedRegex("^resources([1-9][0-9]*)?:PCPU", RegexOptions.CultureInvariant)]
    private static partial Regex PcpuResourceKey();

    [GeneratedRegex("^trait([1-9][0-9]*)?:HW_CPU_HYPERTHREADING", RegexOptions.CultureInvariant)]
    private static partial Regex HyperthreadingKey();
}

using System.Globalization;
using System.Numerics;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Flavors;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Numa;

/// <summary>
/// The guest NUMA topology a flavor and an image ask for (05 NF-1…NF-7, Nova's <c>numa_get_constraints</c>),
/// with every consistency check in Nova's order.
/// </summary>
public static class GuestNumaConstraints
{
    /// <summary>Nova reads <c>hw:numa_cpus.N</c> / <c>hw:numa_mem.N</c> for at most this many nodes.</summary>
    private const int MaxNodes = 128;

    /// <summary>The guest topology, or null when the guest has none (NF-1).</summary>
    /// <exception cref="PciException">The first inconsistency, typed as Nova's exception (scenario-format SIM-31
    /// stage <c>flavor_image</c>); <c>ValueError</c> (not a Nova exception) for a non-integer <c>hw:numa_mem.N</c>.</exception>
    public static GuestNumaTopology? Compute(Flavor flavor, ImageProperties image)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        ArgumentNullException.ThrowIfNull(image);
        var cpuPolicy = CpuConstraints.CpuPolicyOf(flavor, image);
        var threadPolicy = CpuConstraints.CpuThreadPolicyOf(flavor, image);
        var realtimeCpus = CpuConstraints.RealtimeCpusOf(flavor, image);
        var dedicatedMask = CpuConstraints.DedicatedMaskOf(flavor);
        var emulatorPolicy = CpuConstraints.EmulatorThreadsPolicyOf(flavor);

        // NF-2: resources:PCPU implies dedicated, resources:VCPU shared; neither combines with a CPU policy.
        var (requestedVcpus, requestedPcpus) = CpuConstraints.ExplicitCpuResources(flavor);
        if (cpuPolicy is not null && (requestedVcpus != 0 || requestedPcpus != 0))
        {
            throw InvalidRequest("resources:VCPU or resources:PCPU cannot be combined with hw:cpu_policy or hw_cpu_policy; use one or the other.");
        }

        if (requestedVcpus != 0 && requestedPcpus != 0)
        {
            throw InvalidRequest("resources:VCPU and resources:PCPU cannot both be requested; use one or the other.");
        }

        if (requestedPcpus != 0)
        {
            var isolate = emulatorPolicy == EmulatorThreadsPolicy.Isolate;
            var expected = isolate ? flavor.Vcpus + 1 : flavor.Vcpus;
            if (requestedPcpus != expected)
            {
                throw InvalidRequest(string.Create(CultureInfo.InvariantCulture,
                    $"resources:PCPU = {requestedPcpus} must equal the flavor's vCPUs{(isolate ? " + 1 (emulator threads isolate)" : "")}, i.e. {expected}."));
            }

            cpuPolicy = CpuPolicy.Dedicated;
        }

        if (requestedVcpus != 0)
        {
            cpuPolicy = CpuPolicy.Shared;
        }

        var hyperthreading = CpuConstraints.HyperthreadingTrait(flavor, image);
        if (!string.IsNullOrEmpty(threadPolicy) && !string.IsNullOrEmpty(hyperthreading))
        {
            throw InvalidRequest("trait:HW_CPU_HYPERTHREADING cannot be combined with hw:cpu_thread_policy or hw_cpu_thread_policy; use one or the other.");
        }

        threadPolicy = hyperthreading switch
        {
            "forbidden" => "isolate",
            "required" => "require",
            _ => threadPolicy,
        };

        var dedicated = CheckCpuPolicyCombination(cpuPolicy, threadPolicy, emulatorPolicy, dedicatedMask, realtimeCpus);
        var nodes = NodeCount(flavor, image);
        var pageSize = PageSizeOf(flavor, image);
        var persistentMemory = PersistentMemoryLabels(flavor);
        CheckLockedMemory(flavor, image);

        // NF-1: only these create a topology.
        if (nodes is null or 0 && (pageSize is null || pageSize.Value.IsEqualTo(0)) && persistentMemory.Count == 0
            && cpuPolicy is not (CpuPolicy.Dedicated or CpuPolicy.Mixed))
        {
            return null;
        }

        IReadOnlySet<int> pinned = cpuPolicy == CpuPolicy.Dedicated ? CpuConstraints.AllCpus(flavor) : dedicated ?? new HashSet<int>();
        var nodeCount = nodes is null or 0 ? 1 : nodes.Value;
        var cpuLists = PerNodeCpus(flavor, image);
        var memoryLists = PerNodeMemory(flavor, image);
        var split = (cpuLists, memoryLists) switch
        {
            (null, null) => AutoSplit(flavor, nodeCount),
            ({ } cpus, { } memory) when cpus.Count == nodeCount && memory.Count == nodeCount => ManualSplit(flavor, cpus, memory),
            _ => throw new PciException(FlavorErrorKinds.ImageNUMATopologyIncomplete, string.Create(CultureInfo.InvariantCulture,
                $"the guest has {nodeCount} NUMA node(s): hw:numa_cpus.N and hw:numa_mem.N must both be given for N = 0…{nodeCount - 1}, " +
                $"got {cpuLists?.Count ?? 0} CPU list(s) and {memoryLists?.Count ?? 0} memory value(s).")),
        };

        var thread = threadPolicy is null ? (CpuThreadPolicy?)null
            : NumaPolicyNames.ParseCpuThreadPolicy(threadPolicy) ?? throw new PciException(FlavorErrorKinds.ValueError,
                $"hw:cpu_thread_policy = '{threadPolicy}' is not a valid thread policy value (prefer, isolate, require).", novaException: false);
        var cells = split.Select((cell, id) => new GuestNumaCell
        {
            Id = id,
            SharedCpus = [.. cell.Cpus.Where(cpu => !pinned.Contains(cpu)).Order()],
            DedicatedCpus = [.. cell.Cpus.Where(pinned.Contains).Order()],
            MemoryMb = cell.MemoryMb,
            PageSizeKb = pageSize is { } size ? IntegerText.Saturated(size.Truncated()) : null,
            CpuPolicy = cpuPolicy,
            CpuThreadPolicy = thread,
        }).ToList();
        return new GuestNumaTopology(cells, emulatorPolicy) { PageSizeKb = pageSize?.Truncated() };
    }

    /// <summary>The dedicated guest CPUs a mixed guest gets (its mask, or else its realtime CPUs).</summary>
    private static IReadOnlySet<int>? CheckCpuPolicyCombination(CpuPolicy? cpuPolicy, string? threadPolicy,
        EmulatorThreadsPolicy? emulatorPolicy, IReadOnlySet<int>? dedicatedMask, IReadOnlySet<int>? realtimeCpus)
    {
        switch (cpuPolicy)
        {
            case null or CpuPolicy.Shared:
                if (!string.IsNullOrEmpty(threadPolicy))
                {
                    throw new PciException(FlavorErrorKinds.CPUThreadPolicyConfigurationInvalid,
                        $"a CPU thread policy ({threadPolicy}) needs hw:cpu_policy dedicated or mixed.");
                }

                if (emulatorPolicy == EmulatorThreadsPolicy.Isolate)
                {
                    throw new PciException(FlavorErrorKinds.BadRequirementEmulatorThreadsPolicy,
                        "hw:emulator_threads_policy = isolate needs hw:cpu_policy dedicated or mixed.");
                }

                if (dedicatedMask is not null)
                {
                    throw RequiredMixed();
                }

                return realtimeCpus is null ? null : throw new PciException(FlavorErrorKinds.RealtimeConfigurationInvalid,
                    "hw:cpu_realtime needs hw:cpu_policy dedicated or mixed.");
            case CpuPolicy.Dedicated:
                return dedicatedMask is null ? null : throw RequiredMixed();
            default:
                return (dedicatedMask, realtimeCpus) switch
                {
                    (not null, null) => dedicatedMask,
                    (null, not null) => realtimeCpus,
                    _ => throw new PciException(FlavorErrorKinds.RequiredMixedOrRealtimeCPUMask,
                        "a mixed guest needs exactly one of hw:cpu_dedicated_mask and a realtime mask (hw:cpu_realtime_mask)."),
                };
        }

        static PciException RequiredMixed() => new(FlavorErrorKinds.RequiredMixedInstancePolicy,
            "hw:cpu_dedicated_mask needs hw:cpu_policy = mixed.");
    }

    /// <summary>NF-3: <c>hw:numa_nodes</c> or <c>hw_numa_nodes</c>, canonical integer text ≥ 1.</summary>
    private static long? NodeCount(Flavor flavor, ImageProperties image)
    {
        var flavorNodes = flavor.ExtraSpec("hw:numa_nodes");
        var imageNodes = image.NumaNodes;
        if (!string.IsNullOrEmpty(flavorNodes) && imageNodes is not null and not 0)
        {
            throw new PciException(FlavorErrorKinds.ImageNUMATopologyForbidden,
                "hw_numa_nodes is set on the image although the flavor sets hw:numa_nodes; set it in one place only.");
        }

        // Python's `flavor or image`: an empty flavor value yields the image's (possibly absent) value.
        if (!string.IsNullOrEmpty(flavorNodes))
        {
            return PythonText.IsIntLike(flavorNodes) && PythonText.TryParseInt(flavorNodes, out var count) && count >= 1
                ? count
                : throw InvalidNodes(flavorNodes);
        }

        return imageNodes switch
        {
            null => null,
            >= 1 => imageNodes,
            _ => throw InvalidNodes(imageNodes.Value.ToString(CultureInfo.InvariantCulture)),
        };

        static PciException InvalidNodes(string nodes) => new(FlavorErrorKinds.InvalidNUMANodesNumber,
            $"the number of NUMA nodes '{nodes}' is invalid; expected an integer ≥ 1 written in base 10 (e.g. 2).");
    }

    /// <summary>
    /// <c>hw:mem_page_size</c>, which the image may only refine when the flavor says large or any. Kept as Python's
    /// number: bare digits are an exact int, a size with a unit a float, and a fraction of a KiB (<c>512B</c>) still
    /// creates a topology, whose cells then hold the truncated size.
    /// </summary>
    private static PythonNumber? PageSizeOf(Flavor flavor, ImageProperties image)
    {
        var flavorRequest = flavor.ExtraSpec("hw:mem_page_size");
        var imageRequest = image.MemPageSize;
        if (string.IsNullOrEmpty(flavorRequest))
        {
            return string.IsNullOrEmpty(imageRequest) ? null : throw PageSizeForbidden(imageRequest, "<empty>");
        }

        var pageSize = ParsePageSize(flavorRequest);
        if (string.IsNullOrEmpty(imageRequest))
        {
            return pageSize;
        }

        return pageSize.IsEqualTo(MemoryPageSize.Any) || pageSize.IsEqualTo(MemoryPageSize.Large)
            ? ParsePageSize(imageRequest)
            : throw PageSizeForbidden(imageRequest, flavorRequest);

        static PciException PageSizeForbidden(string pageSize, string against) => new(FlavorErrorKinds.MemoryPageSizeForbidden,
            $"image page size '{pageSize}' is forbidden against flavor hw:mem_page_size '{against}' (only large or any may be refined).");
    }

    /// <summary>
    /// <c>small</c>, <c>large</c>, <c>any</c>, bare digits (KiB) or an IEC size with a unit (<c>2MB</c>, <c>1GiB</c>,
    /// <c>512Kb</c> in bits) in KiB.
    /// </summary>
    /// <exception cref="PciException"><c>MemoryPageSizeInvalid</c>.</exception>
    private static PythonNumber ParsePageSize(string request) => request switch
    {
        "any" => PythonNumber.Of(MemoryPageSize.Any),
        "large" => PythonNumber.Of(MemoryPageSize.Large),
        "small" => PythonNumber.Of(MemoryPageSize.Small),
        _ when PythonText.IsDigits(request) => IntegerText.TryParse(request, out BigInteger kib) ? PythonNumber.Of(kib)
            : throw new PciException(FlavorErrorKinds.ValueError,
                $"invalid literal for int() with base 10: '{request}' (hw:mem_page_size: digits such as ² are not decimal)", novaException: false),
        _ => IecSize.TryParseBytes(request) is { } bytes
            ? PythonNumber.Of(Math.Ceiling(bytes) / 1024)
            : throw new PciException(FlavorErrorKinds.MemoryPageSizeInvalid,
                $"hw:mem_page_size '{request}' is invalid; expected small, large, any, a size in KiB (2048) or with a unit (2MB, 1GB)."),
    };

    private static IReadOnlyList<string> PersistentMemoryLabels(Flavor flavor) =>
        flavor.ExtraSpec("hw:pmem") is { Length: > 0 } labels
            ? [.. labels.Split(',').Select(PythonText.Strip).Where(label => label.Length > 0)]
            : [];

    private static void CheckLockedMemory(Flavor flavor, ImageProperties image)
    {
        var flavorText = flavor.ExtraSpec("hw:locked_memory");
        var imageValue = image.Boolean("hw_locked_memory");
        var locked = imageValue;
        if (flavorText is not null)
        {
            var flavorValue = PythonText.IsTrueWord(flavorText);
            if (imageValue is not null && imageValue != flavorValue)
            {
                throw new PciException(FlavorErrorKinds.FlavorImageLockedMemoryConflict,
                    $"flavor hw:locked_memory = {flavorValue} conflicts with image hw_locked_memory = {imageValue}.");
            }

            locked = flavorValue;
        }

        if (locked == true && string.IsNullOrEmpty(flavor.ExtraSpec("hw:mem_page_size")) && string.IsNullOrEmpty(image.MemPageSize))
        {
            throw new PciException(FlavorErrorKinds.LockMemoryForbidden,
                "locked memory (hw:locked_memory / hw_locked_memory) needs a page size (hw:mem_page_size / hw_mem_page_size).");
        }
    }

    /// <summary>NF-4: <c>hw:numa_cpus.0</c>, <c>.1</c>… up to the first missing one; the image's list otherwise.</summary>
    private static IReadOnlyList<IReadOnlyList<int>>? PerNodeCpus(Flavor flavor, ImageProperties image)
    {
        var fromFlavor = PerNode(flavor, "hw:numa_cpus", text => CpuSpec.Parse(text));
        return fromFlavor is null ? image.NumaCpus
            : image.NumaCpus is null ? fromFlavor
            : throw ForbiddenOnImage("hw_numa_cpus");
    }

    private static IReadOnlyList<long>? PerNodeMemory(Flavor flavor, ImageProperties image)
    {
        var fromFlavor = PerNode(flavor, "hw:numa_mem", text => PythonText.TryParseInt(text, out var mb)
            ? mb
            : throw new PciException(FlavorErrorKinds.ValueError,
                $"invalid literal for int() with base 10: '{text}' (hw:numa_mem.N is a memory size in MiB)", novaException: false));
        return fromFlavor is null ? image.NumaMem
            : image.NumaMem is null ? fromFlavor
            : throw ForbiddenOnImage("hw_numa_mem");
    }

    private static List<T>? PerNode<T>(Flavor flavor, string key, Func<string, T> parse)
    {
        List<T> values = [];
        for (var node = 0; node < MaxNodes && flavor.ExtraSpec(string.Create(CultureInfo.InvariantCulture, $"{key}.{node}")) is { } text; node++)
        {
            values.Add(parse(text));
        }

        return values.Count > 0 ? values : null;
    }

    private static PciException ForbiddenOnImage(string name) => new(FlavorErrorKinds.ImageNUMATopologyForbidden,
        $"image property {name} is forbidden because the flavor already sets its per-node NUMA lists.");

    /// <summary>NF-5: equal shares of CPUs and memory.</summary>
    private static IEnumerable<(IReadOnlyList<int> Cpus, long MemoryMb)> AutoSplit(Flavor flavor, long nodes)
    {
        if (PythonModulo(flavor.Vcpus, nodes) != 0 || PythonModulo(flavor.MemoryMb, nodes) != 0)
        {
            throw new PciException(FlavorErrorKinds.ImageNUMATopologyAsymmetric, string.Create(CultureInfo.InvariantCulture,
                $"{flavor.Vcpus} vCPUs and {flavor.MemoryMb} MB cannot be split evenly over {nodes} NUMA nodes; give hw:numa_cpus.N and hw:numa_mem.N."));
        }

        var perNode = Math.Max(0, flavor.Vcpus / nodes);
        // Nova's int(memory_mb / nodes) divides as floats: past 2^53 MiB the share rounds (SIM-31 stage flavor_image)
        var memory = double.ConvertToInteger<long>(Math.Truncate(PythonNumber.Quotient(flavor.MemoryMb, nodes)));
        return Enumerable.Range(0, (int)nodes)
            .Select(node => ((IReadOnlyList<int>)[.. CpuConstraints.GuestCpus(node * perNode, perNode)], memory))
            .ToList();
    }

    /// <summary>NF-6: the lists must cover every guest CPU once and add up to the flavor's memory.</summary>
    private static IEnumerable<(IReadOnlyList<int> Cpus, long MemoryMb)> ManualSplit(
        Flavor flavor, IReadOnlyList<IReadOnlyList<int>> cpuLists, IReadOnlyList<long> memoryLists)
    {
        var unassigned = CpuConstraints.AllCpus(flavor);
        var totalMemory = 0L;
        for (var node = 0; node < cpuLists.Count; node++)
        {
            foreach (var cpu in cpuLists[node].Order())
            {
                if (cpu > flavor.Vcpus - 1)
                {
                    throw new PciException(FlavorErrorKinds.ImageNUMATopologyCPUOutOfRange, string.Create(CultureInfo.InvariantCulture,
                        $"hw:numa_cpus.{node} names CPU {cpu}, beyond the last guest CPU {flavor.Vcpus - 1}."));
                }

                if (!unassigned.Remove(cpu))
                {
                    throw new PciException(FlavorErrorKinds.ImageNUMATopologyCPUDuplicates, string.Create(CultureInfo.InvariantCulture,
                        $"guest CPU {cpu} is given to more than one NUMA node (again in hw:numa_cpus.{node})."));
                }
            }

            totalMemory = totalMemory > long.MaxValue - Math.Max(0, memoryLists[node]) ? long.MaxValue : totalMemory + memoryLists[node];
        }

        if (unassigned.Count > 0)
        {
            throw new PciException(FlavorErrorKinds.ImageNUMATopologyCPUsUnassigned,
                $"guest CPUs {CpuSpec.Format(unassigned)} are not given to any NUMA node by hw:numa_cpus.N.");
        }

        return totalMemory == flavor.MemoryMb
            ? cpuLists.Select((cpus, node) => (cpus, memoryLists[node]))
            : throw new PciException(FlavorErrorKinds.ImageNUMATopologyMemoryOutOfRange, string.Create(CultureInfo.InvariantCulture,
                $"hw:numa_mem.N adds up to {totalMemory} MB, but the flavor has {flavor.MemoryMb} MB."));
    }

    /// <summary>Python's <c>%</c> (the result takes the divisor's sign), without overflow for a saturated divisor.</summary>
    private static long PythonModulo(long value, long divisor)
    {
        var remainder = value % divisor;
        return remainder != 0 && (remainder < 0) != (divisor < 0) ? remainder + divisor : remainder;
    }

    private static PciException InvalidRequest(string message) => new(FlavorErrorKinds.InvalidRequest, message);
}

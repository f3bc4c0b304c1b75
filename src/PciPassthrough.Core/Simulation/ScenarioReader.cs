using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Flavors;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// Reads a scenario (scenario-format §2) and validates it (§2.7). Every rejection is a
/// <see cref="ScenarioFormatException"/> naming the JSON path and what is expected there. Unknown keys are ignored.
/// </summary>
public static class ScenarioReader
{
    private static readonly JsonDocumentOptions _documentOptions = new() { MaxDepth = 256 };

    /// <summary>Parses and validates UTF-8 JSON text.</summary>
    public static Scenario Read(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, _documentOptions);
        }
        catch (JsonException e)
        {
            throw new ScenarioFormatException("$", "JSON text",
                $"invalid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}");
        }

        // the scenario keeps its own copies of the few raw values it holds, so the document's pooled buffers go back
        using (document)
        {
            return JsonStrings.FirstUnreadable(document.RootElement, "$") is { } where
                ? throw new ScenarioFormatException(where, "text", JsonStrings.What)
                : Read(document.RootElement);
        }
    }

    public static Scenario Read(JsonElement root)
    {
        RequireObject(root, "$", "a JSON object");
        var config = ReadConfig(OptionalObject(root, "config", "config"));
        var hosts = ReadHosts(root, config);
        return new Scenario
        {
            Name = Get(root, "name") is { } name ? RequireString(name, "name") : "scenario",
            Config = config,
            Hosts = hosts,
            Requests = [.. OptionalList(root, "requests", null).Select((item, i) => ReadStep(item, i))],
        };
    }

    /// <summary>One host object (§2.3) on its own, e.g. what an agent reports.</summary>
    /// <param name="host">The host object.</param>
    /// <param name="config">The options whose <c>device_spec</c> a host without its own uses.</param>
    public static ScenarioHost ReadHost(JsonElement host, ScenarioConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        RequireObject(host, "host", "a host object");
        var name = Get(host, "name");
        if (name is not { ValueKind: JsonValueKind.String } || name.Value.GetString() is not { Length: > 0 } text)
        {
            throw new ScenarioFormatException("host.name", "a non-empty string", ScenarioFormatException.Describe(name));
        }

        return ReadHost(host, "host", text, config);
    }

    /// <summary>One boot object (§2.5) on its own, as item <paramref name="index"/> of <c>requests</c>.</summary>
    public static ScenarioBoot ReadBoot(JsonElement boot, int index) => ReadStep(boot, index) as ScenarioBoot
        ?? throw new ScenarioFormatException($"requests[{index}]", "a boot object", "a delete object");

    private static ScenarioConfig ReadConfig(JsonElement? config) => config is not { } element ? new() : new()
    {
        DeviceSpec = ConfigLines(Get(element, "device_spec"), "config.device_spec"),
        Alias = ConfigLines(Get(element, "alias"), "config.alias"),
        ReportInPlacement = IsTruthy(Get(element, "report_in_placement")),
        PackNumaCells = IsTruthy(Get(element, "packing_host_numa_cells_allocation_strategy")),
    };

    /// <summary>Option lines: strings verbatim, any other value as Python's JSON text (§2.2); null = none.</summary>
    private static IReadOnlyList<string> ConfigLines(JsonElement? value, string path) =>
        [.. ListOrEmpty(value, path).Select(item => item.ValueKind == JsonValueKind.String
            ? item.GetString()!
            : PythonJsonText.Dumps(item))];

    private static List<ScenarioHost> ReadHosts(JsonElement root, ScenarioConfig config)
    {
        var hosts = new List<ScenarioHost>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (element, i) in OptionalList(root, "hosts", null).Select((h, i) => (h, i)))
        {
            var path = $"hosts[{i}]";
            RequireObject(element, path, "a host object");
            var name = Get(element, "name");
            if (name is not { ValueKind: JsonValueKind.String } || name.Value.GetString() is not { Length: > 0 } text)
            {
                throw new ScenarioFormatException($"{path}.name", "a non-empty string", ScenarioFormatException.Describe(name));
            }

            if (!names.Add(text))
            {
                throw new ScenarioFormatException($"{path}.name", "a host name not used by an earlier host",
                    ScenarioFormatException.Describe(name));
            }

            hosts.Add(ReadHost(element, path, text, config));
        }

        return hosts;
    }

    private static ScenarioHost ReadHost(JsonElement host, string path, string name, ScenarioConfig config)
    {
        var cells = Get(host, "numa_cells");
        if (cells is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() == 0)
        {
            throw new ScenarioFormatException($"{path}.numa_cells", "a non-empty list of NUMA cells",
                ScenarioFormatException.Describe(cells));
        }

        var cellIds = new HashSet<int>();
        var numaCells = list.EnumerateArray().Select((cell, i) =>
        {
            var parsed = ReadCell(cell, $"{path}.numa_cells[{i}]");
            return cellIds.Add(parsed.Id) ? parsed : throw new ScenarioFormatException(
                $"{path}.numa_cells[{i}].id", "a cell id not used by an earlier cell of the host", parsed.Id.ToString(CultureInfo.InvariantCulture));
        }).ToList();

        var deviceSpec = host.TryGetProperty("device_spec", out var ownSpec)
            ? ConfigLines(ownSpec, $"{path}.device_spec")
            : config.DeviceSpec;
        return new ScenarioHost
        {
            Name = name,
            DeviceSpec = deviceSpec,
            CpuAllocationRatio = OptionalNumber(host, "cpu_allocation_ratio", path) ?? 16.0,
            RamAllocationRatio = OptionalNumber(host, "ram_allocation_ratio", path) ?? 1.5,
            ReservedHostMemoryMb = OptionalTruncated(host, "reserved_host_memory_mb", path) ?? 512,
            NumaCells = numaCells,
            PciDevices = ReadDevices(host, path),
            Hypervisor = ReadHypervisor(OptionalObject(host, "hypervisor", $"{path}.hypervisor"), $"{path}.hypervisor"),
        };
    }

    /// <summary>The agent's <c>hypervisor</c> object (not a scenario-format key: scenarios never set it, so their
    /// hosts are <see cref="HypervisorCapabilities.Assumed"/>): <c>guest_architectures</c> and <c>libvirt_version</c>.</summary>
    private static HypervisorCapabilities? ReadHypervisor(JsonElement? hypervisor, string path)
    {
        if (hypervisor is not { } element)
        {
            return null;
        }

        var architectures = OptionalList(element, "guest_architectures", path)
            .Select(item => NonEmptyString(item) ?? throw new ScenarioFormatException($"{path}.guest_architectures",
                "a list of architecture names", ScenarioFormatException.Describe(item)))
            .ToHashSet(StringComparer.Ordinal);
        var version = RequireString(element, "libvirt_version", path);
        return Version.TryParse(version, out var libvirt)
            ? new HypervisorCapabilities(architectures, libvirt)
            : throw new ScenarioFormatException($"{path}.libvirt_version", "a version such as \"8.0.0\"", version);
    }

    private static ScenarioNumaCell ReadCell(JsonElement cell, string path)
    {
        RequireObject(cell, path, "a NUMA cell object");
        var cpus = IntList(cell, "cpus", path);
        var pcpus = IntList(cell, "pcpus", path);
        var socket = Get(cell, "socket");
        var siblings = ReadSiblings(Get(cell, "siblings"), path);
        return new ScenarioNumaCell
        {
            Id = RequireInt32(cell, "id", path),
            Socket = socket is null or { ValueKind: JsonValueKind.Null } ? null
                : IsInt32(socket.Value) ? socket.Value.GetInt32()
                : throw new ScenarioFormatException($"{path}.socket", "an integer or null", ScenarioFormatException.Describe(socket)),
            // sets in Nova: a CPU listed twice counts once (SIM-45 totals)
            Cpus = CpuLists.SortedDistinct(cpus),
            Pcpus = CpuLists.SortedDistinct(pcpus),
            MemoryMb = RequireInteger(cell, "memory_mb", path),
            Siblings = siblings is null
                ? CpuLists.Singletons(CpuLists.SortedDistinct([.. cpus, .. pcpus]))
                : CpuLists.Within(siblings, [.. cpus, .. pcpus]),
            SetOrder = siblings is null ? null : CpuSetOrder.Build(cpus, pcpus, siblings),
            HugePages = [.. OptionalList(cell, "hugepages", path).Select((pages, i) =>
                ReadHugePages(pages, $"{path}.hugepages[{i}]"))],
            CpuUsage = OptionalTruncated(cell, "cpu_usage", path) ?? 0,
            MemoryUsageMb = OptionalTruncated(cell, "memory_usage_mb", path) ?? 0,
            PinnedCpus = [.. IntList(cell, "pinned_cpus", path).Distinct().Order()],
            Physnets = [.. OptionalList(cell, "physnets", path).Select(PythonJsonText.Str)],
            Tunneled = IsTruthy(Get(cell, "tunneled")),
        };
    }

    /// <summary>The sibling sets as listed (only their integers), or null for the default of one set per CPU (§2.3.1).
    /// <paramref name="cellPath"/> is the cell's path.</summary>
    private static List<int[]>? ReadSiblings(JsonElement? value, string cellPath)
    {
        if (value is not { } element || !IsTruthy(element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array
            || element.EnumerateArray().Any(set => set.ValueKind != JsonValueKind.Array))
        {
            throw new ScenarioFormatException($"{cellPath}.siblings", "a list of lists of CPU numbers", ScenarioFormatException.Describe(element));
        }

        return [.. element.EnumerateArray().Select(set => set.EnumerateArray().Where(IsInt32).Select(cpu => cpu.GetInt32()).ToArray())];
    }

    private static NumaPages ReadHugePages(JsonElement pages, string path)
    {
        RequireObject(pages, path, "a huge page object {size_kb, total, used?, reserved?}");
        return new NumaPages(
            OptionalTruncated(pages, "size_kb", path) ?? throw Missing($"{path}.size_kb", "a number"),
            OptionalTruncatedWide(pages, "total", path) ?? throw Missing($"{path}.total", "a number"),
            OptionalTruncatedWide(pages, "used", path) ?? 0,
            OptionalTruncated(pages, "reserved", path) ?? 0);
    }

    private static List<PciDeviceRecord> ReadDevices(JsonElement host, string hostPath)
    {
        var items = OptionalList(host, "pci_devices", hostPath);
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        var devices = new List<PciDeviceRecord>();
        foreach (var (device, i) in items.Select((d, i) => (d, i)))
        {
            var path = $"{hostPath}.pci_devices[{i}]";
            var record = ReadDevice(device, path);
            if (!addresses.Add(record.Address))
            {
                throw new ScenarioFormatException($"{path}.address", "an address not used by an earlier device of the host",
                    ScenarioFormatException.Describe(Get(device, "address")));
            }

            devices.Add(record);
        }

        // §2.4: a PF without vf_product_id answers with the product of its first listed VF.
        return [.. devices.Select(d => d.DeviceType != PciDeviceType.PhysicalFunction || d.VfProductId is not null ? d
            : d with { VfProductId = devices.FirstOrDefault(vf => vf.ParentAddress == d.Address)?.ProductId })];
    }

    private static PciDeviceRecord ReadDevice(JsonElement device, string path)
    {
        RequireObject(device, path, "a PCI device object");
        var typeText = RequireString(device, "dev_type", path);
        if (!PciDeviceTypes.TryParse(typeText, out var type))
        {
            throw new ScenarioFormatException($"{path}.dev_type", $"one of {string.Join(", ", PciDeviceTypes.Names)}",
                ScenarioFormatException.Describe(Get(device, "dev_type")));
        }

        var numa = Get(device, "numa_node");
        var parent = Get(device, "parent_addr");
        if (type.IsChild() && parent is not { ValueKind: JsonValueKind.String })
        {
            throw new ScenarioFormatException($"{path}.parent_addr", $"the PF address (a string) of this {typeText}",
                ScenarioFormatException.Describe(parent));
        }

        var capabilities = Get(device, "capabilities");
        return new PciDeviceRecord
        {
            Address = PythonText.Lower(RequireString(device, "address", path)),
            VendorId = PythonText.Lower(RequireString(device, "vendor_id", path)),
            ProductId = PythonText.Lower(RequireString(device, "product_id", path)),
            DeviceType = type,
            ParentAddress = NonEmptyString(parent) is { } parentAddress ? PythonText.Lower(parentAddress) : null,
            NumaNode = numa is null or { ValueKind: JsonValueKind.Null } ? null
                : IsIntegerLiteral(numa.Value) && Int128.TryParse(numa.Value.GetRawText(), CultureInfo.InvariantCulture, out var node) ? node
                : throw new ScenarioFormatException($"{path}.numa_node", "an integer or null", ScenarioFormatException.Describe(numa)),
            Netdev = NonEmptyString(Get(device, "netdev")),
            // the reference keeps a truthy non-string as its JSON text (2 -> "2", true -> "true", 1e20 -> "1e+20")
            ParentIfname = Get(device, "parent_ifname") is { } ifname && IsTruthy(ifname)
                ? (ifname.ValueKind == JsonValueKind.String ? ifname.GetString() : PythonJsonText.Dumps(ifname))
                : null,
            VfProductId = NonEmptyString(Get(device, "vf_product_id")) is { } vfProduct ? PythonText.Lower(vfProduct) : null,
            CardSerialNumber = capabilities is { ValueKind: JsonValueKind.Object } caps
                && Get(caps, "vpd") is { ValueKind: JsonValueKind.Object } vpd
                && Get(vpd, "card_serial_number") is { } serial && IsTruthy(serial)
                ? PythonJsonText.Str(serial)
                : null,
            VpdLookupError = VpdLookupError(capabilities),
            StoredCapabilitiesError = StoredCapabilitiesError(capabilities, PythonText.Lower(RequireString(device, "address", path))),
            VfProductIdError = Get(device, "vf_product_id") is { ValueKind: not JsonValueKind.String } vfProductId && IsTruthy(vfProductId)
                ? PythonTypeName(vfProductId)
                : null,
            NetworkCapabilities = capabilities is { ValueKind: JsonValueKind.Object } c
                && Get(c, "network") is { ValueKind: JsonValueKind.Array } network
                ? [.. network.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()!)]
                : [],
        };
    }

    /// <summary>
    /// DS-29 as Nova reads a scenario device: <c>capabilities.get('vpd', {}).get('card_serial_number')</c>, where a
    /// falsy <c>capabilities</c> is none at all; any other value that is no object has no <c>.get()</c>.
    /// </summary>
    private static string? VpdLookupError(JsonElement? capabilities) => capabilities switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } caps => Get(caps, "vpd") is { ValueKind: not JsonValueKind.Object } vpd ? PythonTypeName(vpd) : null,
        { } value when IsTruthy(value) => PythonTypeName(value),
        _ => null,
    };

    /// <summary>
    /// 02 LC-1 as Nova stores a device: a string <c>capabilities</c> is kept as its text, anything else as its JSON
    /// text, and every read of the serial parses that text and calls <c>.get('vpd', {}).get(…)</c> on the result. Pooling
    /// reads it for every tracked device, so text that is no JSON, or JSON that is no object, fails stage
    /// <c>devices</c> (falsy values are not stored at all).
    /// </summary>
    private static PciError? StoredCapabilitiesError(JsonElement? capabilities, string address)
    {
        if (capabilities is not { ValueKind: JsonValueKind.String } text)
        {
            return VpdLookupError(capabilities) is { } type ? NoGet(type) : null;
        }

        var stored = text.GetString()!;
        if (stored.Length == 0)
        {
            return null;
        }

        // Python's json reads these constants as floats; System.Text.Json has no such literals
        if (stored.Trim(' ', '\t', '\n', '\r') is "NaN" or "Infinity" or "-Infinity")
        {
            return NoGet("float");
        }

        try
        {
            using var parsed = JsonDocument.Parse(stored);
            var root = parsed.RootElement;
            return root.ValueKind != JsonValueKind.Object ? NoGet(PythonTypeName(root))
                : VpdLookupError(root) is { } type ? NoGet(type)
                : null;
        }
        catch (JsonException e)
        {
            return new PciError("JSONDecodeError", $"device {address}: capabilities {stored} are not JSON ({e.Message})", NovaException: false);
        }

        PciError NoGet(string type) => new(PciErrorKinds.AttributeError,
            $"device {address}: '{type}' object has no attribute 'get' (capabilities.vpd.card_serial_number)", NovaException: false);
    }

    private static string PythonTypeName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "str",
        JsonValueKind.Array => "list",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Null => "NoneType",
        JsonValueKind.Number => IsInteger(value) || value.GetRawText().IndexOfAny(['.', 'e', 'E']) < 0 ? "int" : "float",
        _ => "dict",
    };

    private static ScenarioStep ReadStep(JsonElement item, int index)
    {
        var path = $"requests[{index}]";
        RequireObject(item, path, "a boot or delete object");
        if (item.TryGetProperty("delete", out var victim))
        {
            return new ScenarioDelete
            {
                Index = index,
                Name = victim.ValueKind == JsonValueKind.String ? victim.GetString() : null,
                RawName = victim.Clone(),
            };
        }

        var flavor = Get(item, "flavor");
        if (flavor is not { ValueKind: JsonValueKind.Object } flavorObject)
        {
            throw new ScenarioFormatException($"{path}.flavor", "a flavor object", ScenarioFormatException.Describe(flavor));
        }

        var image = OptionalObject(item, "image", $"{path}.image");
        var properties = image is { } imageObject ? OptionalObject(imageObject, "properties", $"{path}.image.properties") : null;
        var requestedHost = Get(item, "requested_host");
        return new ScenarioBoot
        {
            Index = index,
            Name = Get(item, "name") is { } name ? RequireString(name, $"{path}.name") : $"req-{index}",
            Flavor = ReadFlavor(flavorObject, $"{path}.flavor"),
            ImageProperties = properties is { } props
                ? LastValues(props).ToDictionary(p => p.Key, p => p.Value.Clone(), StringComparer.Ordinal)
                : new Dictionary<string, JsonElement>(),
            Ports = [.. OptionalList(item, "ports", path).Select((port, i) => ReadPort(port, $"{path}.ports[{i}]", i))],
            RequestedHost = requestedHost is { ValueKind: JsonValueKind.String } host ? host.GetString() : null,
        };
    }

    private static ScenarioFlavor ReadFlavor(JsonElement flavor, string path)
    {
        var extraSpecs = OptionalObject(flavor, "extra_specs", $"{path}.extra_specs");
        return new ScenarioFlavor
        {
            Vcpus = RequireInteger(flavor, "vcpus", path),
            MemoryMb = RequireInteger(flavor, "memory_mb", path),
            RootGb = OptionalTruncated(flavor, "root_gb", path) ?? 0,
            EphemeralGb = OptionalTruncated(flavor, "ephemeral_gb", path) ?? 0,
            Swap = OptionalTruncated(flavor, "swap", path) ?? 0,
            // §2.5: extra specs are strings; any other value becomes its JSON text.
            ExtraSpecs = extraSpecs is { } specs
                ? LastValues(specs).ToDictionary(p => p.Key, p => p.Value.ValueKind == JsonValueKind.String
                    ? p.Value.GetString()!
                    : PythonJsonText.Dumps(p.Value), StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal),
        };
    }

    private static ScenarioPort ReadPort(JsonElement port, string path, int position)
    {
        RequireObject(port, path, "a port object");
        // the network type defaults on the physnet's truthiness; its text is for the API to make (SIM-31 stage ports)
        var physnet = Get(port, "physical_network") is { ValueKind: not JsonValueKind.Null } p ? p.Clone() : (JsonElement?)null;
        var networkType = Get(port, "network_type") is { } type && IsTruthy(type)
            ? (type.ValueKind == JsonValueKind.String ? type.GetString()! : type.GetRawText())
            : IsTruthy(physnet) ? "vlan" : "vxlan";
        var policy = Get(port, "numa_affinity_policy");
        return new ScenarioPort
        {
            Name = Get(port, "name") is { } name
                ? (name.ValueKind == JsonValueKind.String ? name.GetString()! : name.GetRawText())
                : $"port-{position}",
            VnicType = Get(port, "vnic_type") is { ValueKind: JsonValueKind.String } vnic ? vnic.GetString()! : "normal",
            PhysicalNetwork = physnet,
            NetworkType = networkType,
            Trusted = Get(port, "trusted")?.Clone(),
            NumaAffinityPolicy = policy is { } value && IsTruthy(value)
                ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText())
                : null,
        };
    }

    // ---- JSON helpers: every check names the path and what would be valid ----

    /// <summary>The value of <paramref name="key"/>; a repeated key gives its last value, as Python's JSON reader does.</summary>
    private static JsonElement? Get(JsonElement obj, string key) => obj.TryGetProperty(key, out var value) ? value : null;

    private static Dictionary<string, JsonElement> LastValues(JsonElement obj)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            values[property.Name] = property.Value;
        }

        return values;
    }

    private static void RequireObject(JsonElement value, string path, string expected)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioFormatException(path, expected, ScenarioFormatException.Describe(value));
        }
    }

    /// <summary>An object-valued key: absent or null is no object.</summary>
    private static JsonElement? OptionalObject(JsonElement parent, string key, string path) => Get(parent, key) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Object } value => value,
        var other => throw new ScenarioFormatException(path, "an object (or null)", ScenarioFormatException.Describe(other)),
    };

    /// <summary>The list under <paramref name="key"/> of the object at <paramref name="path"/> (null: the root).</summary>
    private static IEnumerable<JsonElement> OptionalList(JsonElement parent, string key, string? path) =>
        Get(parent, key) switch
        {
            null or { ValueKind: JsonValueKind.Null } => [],
            { ValueKind: JsonValueKind.Array } list => list.EnumerateArray(),
            var other => throw new ScenarioFormatException(Child(path, key), "a list (or null)", ScenarioFormatException.Describe(other)),
        };

    /// <summary>The path of a key, built only for an error message (a scenario's keys are read by the thousand).</summary>
    private static string Child(string? path, string key) => path is null ? key : $"{path}.{key}";

    /// <summary>A list-valued key: absent or null is the empty list (§2.7).</summary>
    private static IEnumerable<JsonElement> ListOrEmpty(JsonElement? value, string path) => value switch
    {
        null or { ValueKind: JsonValueKind.Null } => [],
        { ValueKind: JsonValueKind.Array } list => list.EnumerateArray(),
        var other => throw new ScenarioFormatException(path, "a list (or null)", ScenarioFormatException.Describe(other)),
    };

    private static List<int> IntList(JsonElement parent, string key, string path)
    {
        var items = new List<int>();
        foreach (var item in OptionalList(parent, key, path))
        {
            items.Add(IsInt32(item) ? item.GetInt32()
                : throw new ScenarioFormatException(Child(path, key), "a list of integers", ScenarioFormatException.Describe(Get(parent, key))));
        }

        return items;
    }

    private static string RequireString(JsonElement? value, string path) =>
        value is { ValueKind: JsonValueKind.String } text
            ? text.GetString()!
            : throw new ScenarioFormatException(path, "a string", ScenarioFormatException.Describe(value));

    private static string RequireString(JsonElement obj, string key, string path) =>
        Get(obj, key) is { ValueKind: JsonValueKind.String } text
            ? text.GetString()!
            : throw new ScenarioFormatException(Child(path, key), "a string", ScenarioFormatException.Describe(Get(obj, key)));

    private static string? NonEmptyString(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.String } text && text.GetString() is { Length: > 0 } s ? s : null;

    /// <summary>An integer literal within 64 bits.</summary>
    private static bool IsInteger(JsonElement value) => IsIntegerLiteral(value) && value.TryGetInt64(out _);

    /// <summary>An integer literal (a boolean or <c>16.0</c> is not one; Python reads <c>16.0</c> as a float).</summary>
    private static bool IsIntegerLiteral(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && JsonMarshal.GetRawUtf8Value(value).IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;

    private static bool IsInt32(JsonElement value) => IsInteger(value) && value.TryGetInt32(out _);

    private static int RequireInt32(JsonElement obj, string key, string path) =>
        Get(obj, key) is { } element && IsInt32(element)
            ? element.GetInt32()
            : throw new ScenarioFormatException(Child(path, key), "an integer", ScenarioFormatException.Describe(Get(obj, key)));

    private static long RequireInteger(JsonElement obj, string key, string path) =>
        Get(obj, key) is { } element && IsInteger(element)
            ? element.GetInt64()
            : throw new ScenarioFormatException(Child(path, key), "an integer", ScenarioFormatException.Describe(Get(obj, key)));

    private static double? OptionalNumber(JsonElement parent, string key, string path) => Get(parent, key) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } number => number.GetDouble(),
        var other => throw new ScenarioFormatException($"{path}.{key}", "a number", ScenarioFormatException.Describe(other)),
    };

    /// <summary>A number field the reference converts with <c>int()</c>: fractions are truncated toward zero, integers
    /// kept exact (beyond 2^53 too).</summary>
    private static long? OptionalTruncated(JsonElement parent, string key, string path) =>
        OptionalNumber(parent, key, path) is { } number
            ? Get(parent, key)!.Value.TryGetInt64(out var exact) ? exact
                : Math.Abs(number) < 9.2e18 ? (long)Math.Truncate(number)
                : throw new ScenarioFormatException($"{path}.{key}", "a number below 2^63", ScenarioFormatException.Describe(Get(parent, key)))
            : null;

    /// <summary>A page count converted with <c>int()</c> like <see cref="OptionalTruncated"/>, up to 2^127: Python
    /// takes counts past 2^63 (§2.7 bounds no number) and the cell's small pages are derived from them exactly.</summary>
    private static Int128? OptionalTruncatedWide(JsonElement parent, string key, string path)
    {
        if (OptionalNumber(parent, key, path) is not { } number)
        {
            return null;
        }

        var element = Get(parent, key)!.Value;
        if (IsIntegerLiteral(element))
        {
            return Int128.TryParse(element.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count)
                ? count
                : throw TooLarge();
        }

        return Math.Abs(number) < 1.7e38 ? (Int128)Math.Truncate(number) : throw TooLarge();

        ScenarioFormatException TooLarge() =>
            new($"{path}.{key}", "a number below 2^127", ScenarioFormatException.Describe(element));
    }

    private static ScenarioFormatException Missing(string path, string expected) => new(path, expected, "nothing");

    /// <summary>Python's truthiness of a JSON value: false, null, 0, "" and empty collections are false.</summary>
    internal static bool IsTruthy(JsonElement? value) => value switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.Number } number => number.GetDouble() != 0,
        { ValueKind: JsonValueKind.String } text => text.GetString()!.Length > 0,
        { ValueKind: JsonValueKind.Array } list => list.GetArrayLength() > 0,
        { ValueKind: JsonValueKind.Object } obj => obj.EnumerateObject().Any(),
        _ => false,
    };
}

using System.Text.Json;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Config;

/// <summary>
/// Parses the lines of <c>[pci] device_spec</c> (01 §1-7) in Nova's check order, so the first error reported is the
/// one Nova stops on. <see cref="Parse"/> stops there (a compute starting); <see cref="Check"/> goes on and reports
/// every problem with its line (<c>pcictl config check</c>).
/// </summary>
public sealed class DeviceSpecParser
{
    private const string VendorKey = "vendor_id", ProductKey = "product_id", DevnameKey = "devname", AddressKey = "address";
    private const string RemoteManagedTag = "remote_managed", OneTimeUseTag = "one_time_use", LiveMigratableTag = "live_migratable";
    private const int MaxId = 0xFFFF;

    private static readonly string[] _booleanTags = ["managed", LiveMigratableTag, OneTimeUseTag];
    private static readonly Version _minLibvirt = new(10, 0, 0), _minQemu = new(8, 2, 2);

    private readonly IPciHostProbe _probe;
    private readonly DeviceSpecOptions _options;
    private readonly bool _stopAtFirst;
    private readonly List<DeviceSpec> _specs = [];
    private readonly List<DeviceSpecError> _errors = [];
    private int _entryCount;

    private DeviceSpecParser(IPciHostProbe probe, DeviceSpecOptions options, bool stopAtFirst) =>
        (_probe, _options, _stopAtFirst) = (probe, options, stopAtFirst);

    private bool IsZed => _options.Release == NovaRelease.Zed;

    /// <summary>Parses every line; the first problem throws (what a compute does at start, 01 §9).</summary>
    /// <exception cref="PciException">The first problem, in Nova's order.</exception>
    public static DeviceSpecSet Parse(IReadOnlyList<string> lines, IPciHostProbe probe, DeviceSpecOptions? options = null)
    {
        var parser = Run(lines, probe, options ?? new DeviceSpecOptions(), stopAtFirst: true);
        return new DeviceSpecSet(parser._specs, probe, parser._options.Release);
    }

    /// <summary>Parses every line and collects every problem, each naming its line; never throws for bad input.</summary>
    public static DeviceSpecCheckResult Check(IReadOnlyList<string> lines, IPciHostProbe probe, DeviceSpecOptions? options = null)
    {
        var parser = Run(lines, probe, options ?? new DeviceSpecOptions(), stopAtFirst: false);
        return new DeviceSpecCheckResult(parser._specs, parser._errors);
    }

    private static DeviceSpecParser Run(IReadOnlyList<string> lines, IPciHostProbe probe, DeviceSpecOptions options, bool stopAtFirst)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(probe);
        var parser = new DeviceSpecParser(probe, options, stopAtFirst);
        // 01 DS-1: every value of the option, in file order
        for (var line = 0; line < lines.Count; line++)
        {
            parser.ParseLine(line, lines[line]);
        }

        if (!parser.IsZed)
        {
            parser.CheckHypervisorVersions();
            parser.CheckDevnameForPlacement();
        }

        return parser;
    }

    /// <summary>01 DS-2: strict JSON; DS-3: an object or a list of objects; DS-4: <c>[]</c> adds no spec.</summary>
    private void ParseLine(int line, string text)
    {
        if (!NovaJson.TryParse(text, out var node))
        {
            Report(line, null, Invalid($"device_spec[{line}]: invalid entry '{text}': not valid JSON; expected a JSON " +
                "object such as {\"vendor_id\": \"8086\"} (double quotes) or a JSON list of such objects."));
            return;
        }

        switch (node)
        {
            case JsonObject spec:
                ParseSpec(line, null, spec);
                break;
            case JsonArray list:
                for (var entry = 0; entry < list.Count; entry++)
                {
                    if (list[entry] is JsonObject item)
                    {
                        ParseSpec(line, entry, item);
                    }
                    else
                    {
                        Report(line, entry, Invalid($"device_spec[{line}][{entry}]: invalid entry " +
                            $"{NovaJson.ToText(list[entry])}: expecting dict, i.e. a JSON object such as {{\"vendor_id\": \"8086\"}}."));
                    }
                }

                break;
            default:
                Report(line, null, Invalid($"device_spec[{line}]: invalid entry '{text}': expecting list or dict, " +
                    "i.e. a JSON object or a JSON list of objects."));
                break;
        }
    }

    private void ParseSpec(int line, int? entry, JsonObject spec)
    {
        var failed = false;
        var index = _entryCount++;

        var vendorId = ParseId(spec, VendorKey, Fail);
        var productId = ParseId(spec, ProductKey, Fail);
        var devname = ParseDevname(spec, Fail);
        spec.TryGetPropertyValue(AddressKey, out var addressNode);
        DeviceSpecAddressMatcher? matcher = null;
        if (spec.TryGetPropertyValue(DevnameKey, out var devnameNode) && !NovaJson.IsFalsy(devnameNode))
        {
            if (!NovaJson.IsFalsy(addressNode))
            {
                // DS-23
                Fail(new PciError(PciErrorKinds.PciDeviceInvalidDeviceName,
                    "devname and address exclude each other; keep one of them (devname names a network interface)."));
            }
        }
        else
        {
            matcher = ParseAddress(addressNode, Fail);
        }

        DeviceSpecAddressMatcher? resolved = null;
        if (devname is not null && DevnameResolver.TryResolve(devname, _probe, _options.Release, out resolved) is { } resolveError)
        {
            Fail(resolveError);
        }

        spec.TryGetPropertyValue(RemoteManagedTag, out var remoteManagedNode);
        var isRemoteManaged = NovaBoolean.ParseLenient(remoteManagedNode);
        if (isRemoteManaged && !failed)
        {
            CheckRemoteManaged(vendorId!, productId!, devname, devname is null ? matcher : resolved, Fail);
        }

        // DS-30: every other key is a tag, kept as written (DS-27/DS-31 then normalise some under Latest)
        var tags = spec.Where(p => p.Key is not (VendorKey or ProductKey or DevnameKey or AddressKey))
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))
            .ToList();
        if (!IsZed)
        {
            NormalizeTags(tags, Fail);
        }

        if (!failed)
        {
            // an empty devname is reported as written but acts as absent (DS-24)
            var devnameText = devname ?? (NovaJson.IsString(devnameNode, out var empty) ? empty : null);
            var writtenDevname = devnameText is null ? null : devnameNode?.DeepClone();
            _specs.Add(new DeviceSpec(
                index, line, vendorId!, productId!, devnameText, writtenDevname, matcher, tags, isRemoteManaged));
        }

        void Fail(PciError error)
        {
            failed = true;
            var where = (entry is null ? $"device_spec[{line}] " : $"device_spec[{line}][{entry}] ") + NovaJson.ToText(spec);
            Report(line, entry, error with { Message = $"{where}: {error.Message}" });
        }
    }

    /// <summary>01 DS-7..9. Zed lets Python's own errors escape for a non-string id (scenario-format §6).</summary>
    private string? ParseId(JsonObject spec, string key, Action<PciError> fail)
    {
        if (!spec.TryGetPropertyValue(key, out var node))
        {
            return DeviceSpec.AnyId;
        }

        if (!NovaJson.IsString(node, out var text))
        {
            fail(!IsZed
                ? Invalid($"property {key} ({NovaJson.ToText(node)}) is not a string; expected \"*\" or up to 4 hex digits.")
                : key == VendorKey
                    ? new PciError(PciErrorKinds.AttributeError, $"'{PythonType(node)}' object has no attribute 'strip' " +
                        $"(vendor_id {NovaJson.ToText(node)} is not a string)", NovaException: false)
                    : new PciError(PciErrorKinds.TypeError, "int() can't convert non-string with explicit base " +
                        $"(product_id {NovaJson.ToText(node)} is not a string)", NovaException: false));
            return null;
        }

        // Nova trims vendor_id before looking for '*', product_id only as part of the hex parse
        var error = HexField.TryNormalize(key, key == VendorKey ? text.Trim() : text, MaxId, 4, _options.Release, out var id);
        if (error is not null)
        {
            fail(error);
            return null;
        }

        return id;
    }

    /// <summary>01 DS-24: an empty devname is absent.</summary>
    private string? ParseDevname(JsonObject spec, Action<PciError> fail)
    {
        if (!spec.TryGetPropertyValue(DevnameKey, out var node) || NovaJson.IsFalsy(node))
        {
            return null;
        }

        if (NovaJson.IsString(node, out var name))
        {
            return name;
        }

        if (IsZed)
        {
            // Nova 26 looks any value up as an interface name
            return NovaJson.ToText(node);
        }

        fail(new PciError(PciErrorKinds.PciDeviceInvalidDeviceName,
            $"devname {NovaJson.ToText(node)} is not a string; expected a network interface name such as \"ens1f0\"."));
        return null;
    }

    /// <summary>Absent or empty → all wildcards (01 DS-11); string → glob (DS-11); object → regex (DS-15); anything else is
    /// wrong (DS-19).</summary>
    private DeviceSpecAddressMatcher? ParseAddress(JsonNode? node, Action<PciError> fail)
    {
        if (NovaJson.IsFalsy(node))
        {
            return new DeviceSpecAddressMatcher(new DeviceSpecAddress(
                DeviceSpecAddressKind.Glob, HexField.Any, HexField.Any, HexField.Any, HexField.Any, IsPhysicalFunction: false));
        }

        if (NovaJson.IsString(node, out var text))
        {
            if (DeviceSpecAddressParser.TryParseGlob(text, _options.Release, out var fields) is { } globError)
            {
                fail(globError);
                return null;
            }

            return new DeviceSpecAddressMatcher(DeviceSpecAddressParser.Build(
                DeviceSpecAddressKind.Glob, fields.Domain, fields.Bus, fields.Slot, fields.Function, _probe));
        }

        if (node is JsonObject regexForm)
        {
            if (DeviceSpecAddressParser.TryParseRegex(regexForm, _options.Release, out var texts, out var regexes) is { } regexError)
            {
                fail(regexError);
                return null;
            }

            return new DeviceSpecAddressMatcher(
                DeviceSpecAddressParser.Build(DeviceSpecAddressKind.Regex, texts[0], texts[1], texts[2], texts[3], _probe),
                regexes);
        }

        // DS-19
        fail(DeviceSpecAddressParser.WrongFormat(node, "neither a string nor an object"));
        return null;
    }

    /// <summary>01 DS-29: a remote-managed spec needs a resolvable devname, and by PF address it must select only VFs.</summary>
    private void CheckRemoteManaged(
        string vendorId, string productId, string? devname, DeviceSpecAddressMatcher? target, Action<PciError> fail)
    {
        if (target is null)
        {
            fail(new PciError(PciErrorKinds.PciDeviceRemoteManagedNotPresent,
                $"remote_managed is true but devname '{devname}' names no network interface on this host; " +
                "a remote-managed spec must name an existing interface or an address."));
            return;
        }

        var address = target.Address;
        if (!address.IsPhysicalFunction)
        {
            return;
        }

        if (IsZed && devname is null)
        {
            // scenario-format §7 item 6: Nova 26 looks the PF up by the text of its address object, which never exists
            fail(NotFound(address.ToString(), "Nova 26 cannot look up a remote_managed PF given by address; use devname"));
            return;
        }

        var pf = address.ToString();
        if (_probe.GetVfProductId(pf) is not { } vfProductId)
        {
            fail(NotFound(pf, "its VF product id (sriov_vf_device) cannot be read"));
            return;
        }

        if (_probe.GetIds(pf) is not var (pfVendorId, pfProductId))
        {
            fail(NotFound(pf, "its vendor and product ids cannot be read"));
            return;
        }

        var vendorFits = vendorId == DeviceSpec.AnyId || vendorId == pfVendorId;
        if (productId == vfProductId && vendorFits)
        {
            return;
        }

        fail(vendorFits && (productId == DeviceSpec.AnyId || productId == pfProductId)
            ? new PciError(PciErrorKinds.PciDeviceInvalidPFRemoteManaged,
                $"remote_managed is true but the spec selects the PF {pf} ({pfVendorId}:{pfProductId}); a remote-managed " +
                $"spec given by PF address must select its VFs only: set product_id to {vfProductId}.")
            : Invalid($"remote_managed is true but vendor_id {vendorId} and product_id {productId} are not the VF ids " +
                $"of the PF {pf}; expected vendor_id {pfVendorId} (or *) and product_id {vfProductId}."));
    }

    /// <summary>01 DS-27, DS-28, DS-31 (Latest only; Zed keeps every tag verbatim).</summary>
    private void NormalizeTags(List<KeyValuePair<string, JsonNode?>> tags, Action<PciError> fail)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            var (key, value) = tags[i];
            if (value is null)
            {
                continue;
            }

            if (_booleanTags.Contains(key))
            {
                if (NovaBoolean.ParseStrict(value) is not { } flag)
                {
                    fail(Invalid($"Cannot parse tag '{key}' ({NovaJson.ToText(value)}): expected {NovaBoolean.Accepted}."));
                    continue;
                }

                tags[i] = KeyValuePair.Create<string, JsonNode?>(key, JsonValue.Create(flag ? "true" : "false"));
                if (key == OneTimeUseTag && flag && !_options.ReportInPlacement)
                {
                    fail(Invalid("one_time_use is true but [pci] report_in_placement is false; one-time use needs " +
                        "report_in_placement = true."));
                }
            }
            else if (value is JsonValue scalar && scalar.GetValueKind() != JsonValueKind.String)
            {
                // DS-31 deviation: the scheduler and the compute then see the same text
                tags[i] = KeyValuePair.Create<string, JsonNode?>(key, JsonValue.Create(NovaJson.ToText(value)));
            }
        }
    }

    /// <summary>01 DS-33.</summary>
    private void CheckHypervisorVersions()
    {
        var tooOld = (_options.LibvirtVersion is { } libvirt && libvirt < _minLibvirt)
            || (_options.QemuVersion is { } qemu && qemu < _minQemu);
        if (!tooOld)
        {
            return;
        }

        foreach (var spec in _specs.Where(s => !string.IsNullOrEmpty(s.GetTagString(LiveMigratableTag))))
        {
            Report(spec.ConfigIndex, null, new PciError(PciErrorKinds.InvalidConfiguration,
                $"device_spec[{spec.ConfigIndex}] {spec.ToJson()}: live_migratable needs libvirt >= {_minLibvirt} and " +
                $"QEMU >= {_minQemu}; this compute has libvirt {_options.LibvirtVersion?.ToString() ?? "unknown"}, " +
                $"QEMU {_options.QemuVersion?.ToString() ?? "unknown"}."));
        }
    }

    /// <summary>01 DS-26.</summary>
    private void CheckDevnameForPlacement()
    {
        if (!_options.ReportInPlacement)
        {
            return;
        }

        foreach (var spec in _specs.Where(s => s.HasDevname))
        {
            Report(spec.ConfigIndex, null, DeviceSpecSet.DevnameForPlacement(spec));
        }
    }

    private void Report(int line, int? entry, PciError error)
    {
        if (_stopAtFirst)
        {
            throw new PciException(error);
        }

        _errors.Add(new DeviceSpecError(line, entry, error));
    }

    private static PciError Invalid(string message) => new(PciErrorKinds.PciConfigInvalidSpec, message);

    private static PciError NotFound(string address, string why) =>
        new(PciErrorKinds.PciDeviceNotFoundById, $"PCI device {address} not found: {why}.");

    private static string PythonType(JsonNode? node) => node switch
    {
        null => "NoneType",
        JsonObject => "dict",
        JsonArray => "list",
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValue v when NovaJson.ToText(v).AsSpan().IndexOfAny(".eE") >= 0 => "float",
        _ => "int",
    };
}

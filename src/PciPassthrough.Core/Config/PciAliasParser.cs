using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Config;

/// <summary>Reads <c>[pci] alias</c> lines in Nova's order (03 RQ-5..13), stopping at the first problem or collecting all.</summary>
internal sealed partial class PciAliasParser
{
    public const string DevTypeKey = "dev_type";
    private const string NameKey = "name", NumaPolicyKey = "numa_policy", DeviceTypeKey = "device_type";
    private const string VendorKey = "vendor_id", ProductKey = "product_id", ResourceClassKey = "resource_class";
    private const string LiveMigratableKey = "live_migratable";
    private const int MaxNameLength = 256;

    private static readonly string[] _zedKeys = [NameKey, "capability_type", ProductKey, VendorKey, DeviceTypeKey, NumaPolicyKey];
    private static readonly string[] _latestKeys = [.. _zedKeys, ResourceClassKey, "traits", LiveMigratableKey];
    private static readonly string[] _deviceTypes = [PciDeviceTypes.Pci, PciDeviceTypes.PhysicalFunction, PciDeviceTypes.VirtualFunction];

    private readonly PciAliasOptions _options;
    private readonly bool _stopAtFirst;
    private readonly OrderedDictionary<string, PciAlias> _aliases = new(StringComparer.Ordinal);
    private readonly List<PciAliasError> _errors = [];

    private PciAliasParser(PciAliasOptions options, bool stopAtFirst) => (_options, _stopAtFirst) = (options, stopAtFirst);

    public PciAliasSet Set => new(_aliases);

    public IReadOnlyList<PciAliasError> Errors => _errors;

    private bool IsZed => _options.Release == NovaRelease.Zed;

    public static PciAliasParser Run(IReadOnlyList<string> lines, PciAliasOptions options, bool stopAtFirst)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var parser = new PciAliasParser(options, stopAtFirst);
        for (var line = 0; line < lines.Count; line++)
        {
            parser.ReadLine(line, lines[line]);
        }

        if (!parser.IsZed)
        {
            parser.CheckWholeSet();
        }

        return parser;
    }

    private void ReadLine(int line, string text)
    {
        var where = $"alias[{line}] '{text}'";
        if (!NovaJson.TryParse(text, out var node))
        {
            // RQ-10: any JSON or schema error is PciInvalidAlias with the reason
            Report(line, $"{where}: not valid JSON; expected one JSON object such as " +
                "{\"name\": \"gpu\", \"vendor_id\": \"10de\", \"product_id\": \"1eb8\"} (double quotes).");
            return;
        }

        if (node is not JsonObject entry)
        {
            Report(line, $"{where}: {NovaJson.ToText(node)} is not a JSON object; each alias line is one object (RQ-5).");
            return;
        }

        if (Validate(entry) is { } reason)
        {
            Report(line, $"{where}: {reason}");
            return;
        }

        var name = ((string)entry[NameKey]!).Trim();
        var policy = PciNumaPolicy.Legacy;
        var spec = new OrderedDictionary<string, string?>(StringComparer.Ordinal);
        string? devType = null;
        foreach (var (key, value) in entry)
        {
            var word = (string)value!;
            switch (key)
            {
                case NameKey:
                    break;
                case NumaPolicyKey:
                    PciNumaPolicies.TryParse(word, out policy);
                    break;
                case DeviceTypeKey:
                    devType = word;
                    break;
                case LiveMigratableKey:
                    spec[key] = NovaBoolean.ParseStrict(word) == true ? "true" : "false";
                    break;
                default:
                    spec[key] = word;
                    break;
            }
        }

        if (devType is not null)
        {
            spec[DevTypeKey] = devType;
        }

        Add(line, where, name, policy, spec);
    }

    /// <summary>The schema of 03 RQ-6 (Zed: without the placement keys); null when valid.</summary>
    private string? Validate(JsonObject entry)
    {
        var allowed = IsZed ? _zedKeys : _latestKeys;
        foreach (var (key, value) in entry)
        {
            if (!allowed.Contains(key))
            {
                return $"additional property '{key}' is not allowed; allowed keys are {string.Join(", ", allowed)}.";
            }

            if (!NovaJson.IsString(value, out var text))
            {
                return $"{key} is {NovaJson.ToText(value)}; expected a JSON string.";
            }

            var problem = key switch
            {
                NameKey when text.EnumerateRunes().Count() is 0 or > MaxNameLength =>
                    $"is {text.EnumerateRunes().Count()} characters long; expected 1 to {MaxNameLength}",
                VendorKey or ProductKey when !FourHexDigits().IsMatch(text) => "expected exactly 4 hex digits such as 10de",
                DeviceTypeKey when !_deviceTypes.Contains(text) => $"expected one of {string.Join(", ", _deviceTypes)}",
                NumaPolicyKey when !PciNumaPolicies.TryParse(text, out _) =>
                    $"expected one of {string.Join(", ", PciNumaPolicies.Names)}",
                // RQ-12: "pci" is kept in the request spec, where no pool ever matches it
                "capability_type" when text != "pci" => "expected pci",
                LiveMigratableKey when NovaBoolean.ParseStrict(text) is null => $"expected {NovaBoolean.Accepted}",
                _ => null,
            };
            if (problem is not null)
            {
                return $"{key} '{text}': {problem}.";
            }
        }

        return entry.ContainsKey(NameKey) ? null : "'name' is a required property.";
    }

    /// <summary>03 RQ-8: same-name lines are alternatives with one policy and one device type.</summary>
    private void Add(int line, string where, string name, PciNumaPolicy policy, OrderedDictionary<string, string?> spec)
    {
        if (!_aliases.TryGetValue(name, out var alias))
        {
            _aliases.Add(name, new PciAlias(name, policy, [spec]));
            return;
        }

        if (alias.NumaPolicy != policy)
        {
            Report(line, $"{where}: NUMA policy mismatch for alias '{name}': {policy.ToNovaName()} here, " +
                $"{alias.NumaPolicy.ToNovaName()} on its first line; same-name lines need the same numa_policy.");
            return;
        }

        var first = alias.Specs[0];
        if (!first.TryGetValue(DevTypeKey, out var firstType) || !spec.TryGetValue(DevTypeKey, out var type))
        {
            // Nova bug, reproduced on purpose (03 RQ-8): its comparison fails with reason 'dev_type' when either lacks it
            Report(line, $"{where}: 'dev_type' — alias '{name}' is written on several lines and not all of them have a " +
                "device_type; Nova rejects that. Give every line of the alias the same device_type.");
            return;
        }

        if (firstType != type)
        {
            Report(line, $"{where}: Device type mismatch for alias '{name}': {type} here, {firstType} on its first " +
                "line; same-name lines need the same device_type.");
            return;
        }

        _aliases[name] = alias with { Specs = [.. alias.Specs, spec] };
    }

    /// <summary>03 RQ-9, in order (Latest only); with <c>pci_in_placement</c> this is also 06 PM-23: one spec per
    /// alias, and ids or a resource_class.</summary>
    private void CheckWholeSet()
    {
        var aliases = _aliases.Values;
        if (_options.PciInPlacement && aliases.Where(a => a.Specs.Count > 1).Select(a => a.Name).ToList() is { Count: > 0 } multi)
        {
            Report(null, $"aliases {string.Join(",", multi)} have more than one spec; with [filter_scheduler] " +
                "pci_in_placement = true each alias must have exactly one spec (use one spec and a shared resource_class).");
        }

        var missing = aliases
            .Where(a => a.Specs.Any(s => !(s.ContainsKey(VendorKey) && s.ContainsKey(ProductKey))
                && !(_options.PciInPlacement && s.ContainsKey(ResourceClassKey))))
            .Select(a => a.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (missing.Count > 0)
        {
            Report(null, $"aliases {string.Join(",", missing)} need both vendor_id and product_id" +
                (_options.PciInPlacement ? ", or a resource_class." : "."));
        }
    }

    private void Report(int? line, string message)
    {
        var error = new PciError(PciErrorKinds.PciInvalidAlias, message);
        if (_stopAtFirst)
        {
            throw new PciException(error);
        }

        _errors.Add(new PciAliasError(line, error));
    }

    // jsonschema's pattern: Python's '$' also accepts one trailing newline, as .NET's does
    [GeneratedRegex("^[0-9a-fA-F]{4}$")]
    private static partial Regex FourHexDigits();
}

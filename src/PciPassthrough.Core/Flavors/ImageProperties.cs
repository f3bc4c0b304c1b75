using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Core.Flavors;

/// <summary>
/// Image properties typed as Nova's <c>ImageMeta.from_dict</c> types them (SIM-31 stage <c>image</c>): integers,
/// lenient booleans, strings and enumerations, the per-node <c>hw_numa_cpus.N</c>/<c>hw_numa_mem.N</c> lists and
/// the <c>trait:NAME=required</c> traits. Unknown properties are dropped.
/// </summary>
public sealed class ImageProperties
{
    private static readonly Regex _versionComparison = new(@"\A\s*(<=|>=|<|>|!=|==)\s*\d+\.\d+(\.\d+)?([ab]\d+)?\s*\z",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private readonly Dictionary<string, object> _values;

    private ImageProperties(Dictionary<string, object> values, IReadOnlyList<string> traitsRequired)
    {
        _values = values;
        TraitsRequired = traitsRequired;
    }

    /// <summary>Traits of <c>trait:NAME</c> properties whose value is <c>required</c>, in input order.</summary>
    public IReadOnlyList<string> TraitsRequired { get; }

    public string? CpuPolicy => Text("hw_cpu_policy");
    public string? CpuThreadPolicy => Text("hw_cpu_thread_policy");
    public string? CpuRealtimeMask => Text("hw_cpu_realtime_mask");
    public string? MemPageSize => Text("hw_mem_page_size");
    public string? PciNumaAffinityPolicy => Text("hw_pci_numa_affinity_policy");
    public long? NumaNodes => Integer("hw_numa_nodes");

    /// <summary>The guest CPUs of each node (<c>hw_numa_cpus.N</c>), or null when not given.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? NumaCpus =>
        _values.GetValueOrDefault(ImagePropertyCatalog.NumaCpus) as IReadOnlyList<IReadOnlyList<int>>;

    /// <summary>The memory in MiB of each node (<c>hw_numa_mem.N</c>), or null when not given.</summary>
    public IReadOnlyList<long>? NumaMem => _values.GetValueOrDefault(ImagePropertyCatalog.NumaMem) as IReadOnlyList<long>;

    /// <summary>A string or enumeration property.</summary>
    public string? Text(string name) => _values.GetValueOrDefault(name) as string;

    public long? Integer(string name) => _values.GetValueOrDefault(name) is long value ? value : null;

    public bool? Boolean(string name) => _values.GetValueOrDefault(name) is bool value ? value : null;

    /// <summary>Types the properties; the first bad one (in Nova's field order) fails.</summary>
    /// <exception cref="PciException"><c>InvalidRequest</c> for a value of the wrong type; <c>Invalid</c> for a bad
    /// <c>hw_numa_cpus.N</c>; <c>TypeError</c>/<c>AttributeError</c> where Nova lets Python's own error escape.</exception>
    public static ImageProperties Parse(IReadOnlyDictionary<string, JsonElement> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (legacy, field) in ImagePropertyCatalog.LegacyNames)
        {
            if (properties.TryGetValue(legacy, out var value))
            {
                values[field] = Coerce(field, ImagePropertyCatalog.TypeOf(field), value);
            }
        }

        if (properties.TryGetValue("vmware_adaptertype", out var adapter) && IsTruthy(adapter))
        {
            var isIde = adapter.ValueKind == JsonValueKind.String && adapter.GetString() == "ide";
            values["hw_disk_bus"] = isIde ? "ide" : "scsi";
            if (!isIde)
            {
                values["hw_scsi_model"] = Coerce("hw_scsi_model", ImagePropertyCatalog.ScsiModel, adapter);
            }
        }

        foreach (var (field, type) in ImagePropertyCatalog.Fields)
        {
            if (type is null)
            {
                ReadPerNode(field, properties, values);
            }
            else if (properties.TryGetValue(field, out var value))
            {
                values[field] = Coerce(field, type, value);
            }
        }

        List<string> traits = [.. properties
            .Where(p => p.Key.StartsWith("trait:", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.String
                && p.Value.GetString() == "required")
            .Select(p => p.Key["trait:".Length..])];
        return new ImageProperties(values, traits);
    }

    /// <summary><c>hw_numa_cpus.0</c>, <c>.1</c>, … up to the first missing node (at most 128 nodes).</summary>
    private static void ReadPerNode(string field, IReadOnlyDictionary<string, JsonElement> properties, Dictionary<string, object> values)
    {
        var isCpus = field == ImagePropertyCatalog.NumaCpus;
        List<IReadOnlyList<int>> cpus = [];
        List<long> memory = [];
        for (var node = 0; node < 128 && properties.TryGetValue($"{field}.{node}", out var value); node++)
        {
            if (isCpus)
            {
                cpus.Add(value.ValueKind == JsonValueKind.String
                    ? CpuSpec.Parse(value.GetString()!)
                    : throw PythonError(FlavorErrorKinds.AttributeError,
                        $"image property {field}.{node}: '{PythonType(value)}' object has no attribute 'split' (expected CPU-set text such as 0-3)"));
            }
            else
            {
                memory.Add(IntegerOf($"{field}.{node}", value));
            }
        }

        if (isCpus && cpus.Count > 0)
        {
            values[field] = cpus;
        }
        else if (!isCpus && memory.Count > 0)
        {
            values[field] = memory;
        }
    }

    private static object Coerce(string field, ImagePropertyType type, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            throw InvalidRequest(field, "null", "a value (the field cannot be None)");
        }

        return type switch
        {
            ImagePropertyType.Integer => IntegerOf(field, value),
            ImagePropertyType.FlexibleBoolean => value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => PythonText.IsTrueWord(value.GetString()!),
                _ => PythonText.IsTrueWord(PythonStr(value)),
            },
            ImagePropertyType.Text => value.ValueKind is JsonValueKind.Array or JsonValueKind.Object
                ? throw InvalidRequest(field, PythonStr(value), $"a string, not a {PythonType(value)}")
                : PythonStr(value),
            ImagePropertyType.Choice choice => ChoiceOf(field, choice, value),
            ImagePropertyType.ListOfStringMaps => StringMapsOf(field, value),
            ImagePropertyType.VersionPredicate => VersionPredicateOf(field, value),
            _ => PythonStr(value),
        };
    }

    private static string ChoiceOf(string field, ImagePropertyType.Choice choice, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw choice.Lowered
                ? PythonError(FlavorErrorKinds.AttributeError, $"image property {field}: '{PythonType(value)}' object has no attribute 'lower' (expected one of {string.Join(", ", choice.Values)})")
                : InvalidRequest(field, PythonStr(value), $"one of {string.Join(", ", choice.Values)}");
        }

        var text = value.GetString()!;
        if (choice.Lowered)
        {
            text = text.ToLowerInvariant();
            text = choice.Aliases?.GetValueOrDefault(text) ?? text;
        }

        return choice.Values.Contains(text, StringComparer.Ordinal)
            ? text
            : throw InvalidRequest(field, value.GetString()!, $"one of {string.Join(", ", choice.Values)}");
    }

    private static long IntegerOf(string field, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return PythonText.TryParseInt(value.GetString()!, out var parsed)
                    ? parsed
                    : throw InvalidRequest(field, value.GetString()!, "an integer");
            case JsonValueKind.Number:
                if (value.TryGetInt64(out var integer))
                {
                    return integer;
                }

                var number = Math.Truncate(value.GetDouble());
                return number >= long.MaxValue ? long.MaxValue : number <= long.MinValue ? long.MinValue : (long)number;
            case JsonValueKind.True:
                return 1;
            case JsonValueKind.False:
                return 0;
            case JsonValueKind.Null:
                throw PythonError(FlavorErrorKinds.TypeError, $"image property {field}: int() argument must be a string or a number, not 'NoneType'");
            default:
                throw PythonError(FlavorErrorKinds.TypeError, $"image property {field}: int() argument must be a string or a number, not '{PythonType(value)}'");
        }
    }

    private static List<IReadOnlyDictionary<string, string?>> StringMapsOf(string field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw InvalidRequest(field, PythonStr(value), "a list of objects");
        }

        return [.. value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object
            ? (IReadOnlyDictionary<string, string?>)item.EnumerateObject().ToDictionary(p => p.Name, p =>
                p.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.Array or JsonValueKind.Object => throw InvalidRequest(field, PythonStr(p.Value), "string values"),
                    _ => PythonStr(p.Value),
                })
            : throw InvalidRequest(field, PythonStr(item), "a list of objects"))];
    }

    private static string VersionPredicateOf(string field, JsonElement value)
    {
        var text = PythonStr(value);
        return text.Split(',').All(_versionComparison.IsMatch)
            ? text
            : throw InvalidRequest(field, text, "version comparisons such as '>=2.0, <3.0'");
    }

    private static bool IsTruthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Number => value.GetDouble() != 0,
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.Object => value.EnumerateObject().Any(),
        JsonValueKind.True => true,
        _ => false,
    };

    /// <summary>Python's <c>str()</c> of the decoded JSON value.</summary>
    private static string PythonStr(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "None",
        _ => PythonJsonText.Dumps(value),
    };

    private static string PythonType(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "str",
        JsonValueKind.Number => value.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') < 0 ? "int" : "float",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "list",
        JsonValueKind.Object => "dict",
        _ => "NoneType",
    };

    private static PciException InvalidRequest(string field, string value, string expected) =>
        new(FlavorErrorKinds.InvalidRequest,
            string.Create(CultureInfo.InvariantCulture, $"Invalid image metadata: property {field} = '{value}'; expected {expected}."));

    private static PciException PythonError(string kind, string message) => new(kind, message, novaException: false);
}

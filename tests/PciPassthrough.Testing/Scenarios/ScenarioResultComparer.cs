using System.Text.Json;
using static PciPassthrough.Testing.Scenarios.JsonComparer;

namespace PciPassthrough.Testing.Scenarios;

/// <summary>
/// Compares a <c>pcictl simulate</c> result with the expected one by the rules of scenario-format §8 and names the
/// first difference. Everything is compared exactly (<see cref="JsonComparer"/>) except what §8 lets differ:
/// other top-level keys (rule 1), error texts (rule 2), pool order (rule 3), which of interchangeable devices was
/// taken (rule 4, <see cref="DeviceRenaming"/>) and the vCPU → pCPU pairing (rule 5).
/// </summary>
public sealed partial class ScenarioResultComparer
{
    private static readonly string[] _topLevelKeys = ["scenario", "config", "hosts", "requests", "final_state"];

    private readonly Dictionary<string, DeviceRenaming> _renamings = new(StringComparer.Ordinal);

    private ScenarioResultComparer()
    {
    }

    /// <summary>The first difference, or null when the actual result conforms to the expected one.</summary>
    public static ResultDifference? Compare(JsonElement expected, JsonElement actual) =>
        new ScenarioResultComparer().CompareResults(expected, actual);

    /// <inheritdoc cref="Compare(JsonElement, JsonElement)"/>
    public static ResultDifference? Compare(ReadOnlyMemory<byte> expectedUtf8, ReadOnlyMemory<byte> actualUtf8)
    {
        using var expected = JsonDocument.Parse(expectedUtf8);
        using var actual = JsonDocument.Parse(actualUtf8);
        return Compare(expected.RootElement, actual.RootElement);
    }

    private ResultDifference? CompareResults(JsonElement expected, JsonElement actual)
    {
        if (actual.ValueKind != JsonValueKind.Object)
        {
            return new("$", "the result is not a JSON object");
        }

        if (_topLevelKeys.FirstOrDefault(key => !actual.TryGetProperty(key, out _)) is { } missing)
        {
            return new(Child("$", missing), "missing from the result");
        }

        // §8 rule 1: only the five top-level keys count; `engine` and the like are free.
        return JsonComparer.Compare(expected.GetProperty("scenario"), actual.GetProperty("scenario"), "$.scenario")
            ?? JsonComparer.Compare(expected.GetProperty("config"), actual.GetProperty("config"), "$.config")
            ?? CompareObject(expected.GetProperty("hosts"), actual.GetProperty("hosts"), "$.hosts",
                host => (e, a, path) => CompareHostReport(e, a, path, host))
            ?? CompareArray(expected.GetProperty("requests"), actual.GetProperty("requests"), "$.requests",
                CompareRequest)
            ?? CompareObject(expected.GetProperty("final_state"), actual.GetProperty("final_state"), "$.final_state",
                host => (e, a, path) => CompareFinalState(e, a, path, host));
    }

    /// <summary>HOST_REPORT (§4.3): the start-up state, from which the host's renaming is built.</summary>
    private ResultDifference? CompareHostReport(JsonElement expected, JsonElement actual, string path, string host)
    {
        _renamings[host] = DeviceRenaming.ForHost(expected);
        return CompareObject(expected, actual, path, key => key switch
        {
            "ignored_devices" => (e, a, p) => CompareArray(e, a, p, CompareIgnoredDevice),
            "pools" => (e, a, p) => ComparePools(e, a, p, DeviceRenaming.Identity),
            "placement" => (e, a, p) => ComparePlacement(e, a, p, DeviceRenaming.Identity, host),
            _ => null,
        });
    }

    /// <summary>§8 rule 2: an ignored device's reason counts by kind only.</summary>
    private static ResultDifference? CompareIgnoredDevice(JsonElement expected, JsonElement actual, string path) =>
        CompareObject(expected, actual, path, key => key != "reason" ? null : (e, a, p) =>
            AsString(e) is { } wanted && AsString(a) is { } got
                ? ReasonKind(wanted) == ReasonKind(got) ? null : Differ(p, e, a, "the reasons are of different kinds")
                : JsonComparer.Compare(e, a, p));

    private static string ReasonKind(string reason) =>
        reason.StartsWith("address rejected", StringComparison.Ordinal) ? "address rejected" : reason;

    private ResultDifference? CompareRequest(JsonElement expected, JsonElement actual, string path)
    {
        if (actual.ValueKind != JsonValueKind.Object || expected.ValueKind != JsonValueKind.Object)
        {
            return JsonComparer.Compare(expected, actual, path);
        }

        var action = Property(expected, "action");
        if (JsonComparer.Compare(action, Property(actual, "action"), Child(path, "action")) is { } difference)
        {
            return difference;
        }

        return AsString(action) == "delete" ? CompareDelete(expected, actual, path) : CompareBoot(expected, actual, path);
    }

    /// <summary>DELETE_RESULT: <c>changed_devices</c> after renaming, as a set (it is sorted by address).</summary>
    private ResultDifference? CompareDelete(JsonElement expected, JsonElement actual, string path)
    {
        var renaming = RenamingOf(AsString(Property(expected, "host")));
        return CompareObject(expected, actual, path, key => key != "changed_devices" ? null : (e, a, p) =>
            CompareAddressSets(e, a, p, renaming, "changed devices differ")
            ?? (a.ValueKind == JsonValueKind.Array ? OutOfOrder(e, a, p, AsString) : null));
    }

    /// <summary>BOOT_RESULT: the chosen host's picks extend its renaming; other hosts' picks only have to agree.</summary>
    private ResultDifference? CompareBoot(JsonElement expected, JsonElement actual, string path)
    {
        var chosen = AsString(Property(expected, "chosen_host"));
        return CompareObject(expected, actual, path, key => key != "hosts" ? null : (e, a, p) =>
            CompareObject(e, a, p, host => (x, y, q) => CompareEvaluation(x, y, q, host, host == chosen)));
    }

    /// <summary>HOST_EVAL (§4.4).</summary>
    private ResultDifference? CompareEvaluation(
        JsonElement expected, JsonElement actual, string path, string host, bool chosen)
    {
        var renaming = RenamingOf(host);
        var difference = CompareObject(expected, actual, path, key => key switch
        {
            "checks" => CompareChecks,
            "numa_cells" or "scheduler_numa_cells" => (e, a, p) => CompareArray(e, a, p, CompareGuestCell),
            "pci_devices" => ComparePicksAndBind,
            _ => null,
        });
        if (chosen && difference is null)
        {
            _renamings[host] = renaming;
        }

        return difference;

        ResultDifference? ComparePicksAndBind(JsonElement e, JsonElement a, string p)
        {
            (var picksDifference, renaming) = ComparePicks(e, a, p, renaming);
            return picksDifference;
        }
    }

    /// <summary>§8 rule 2: <c>checks.placement.reasons</c> count by number only.</summary>
    private static ResultDifference? CompareChecks(JsonElement expected, JsonElement actual, string path) =>
        CompareObject(expected, actual, path, key => key != "placement" ? null : (e, a, p) =>
            CompareObject(e, a, p, field => field != "reasons" ? null : (x, y, q) =>
                x.ValueKind == JsonValueKind.Array && y.ValueKind == JsonValueKind.Array
                    ? x.GetArrayLength() == y.GetArrayLength()
                        ? null
                        : Differ(q, x, y, $"expected {x.GetArrayLength()} reasons, got {y.GetArrayLength()}")
                    : JsonComparer.Compare(x, y, q)));

    /// <summary>§8 rule 5: a guest cell pins the same guest CPUs to the same set of host CPUs.</summary>
    private static ResultDifference? CompareGuestCell(JsonElement expected, JsonElement actual, string path) =>
        CompareObject(expected, actual, path, key => key != "cpu_pinning" ? null : ComparePinning);

    private static ResultDifference? ComparePinning(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != JsonValueKind.Object || actual.ValueKind != JsonValueKind.Object)
        {
            return JsonComparer.Compare(expected, actual, path);
        }

        var wanted = expected.EnumerateObject().ToList();
        var got = actual.EnumerateObject().ToList();
        var sameGuestCpus = wanted.Select(p => p.Name).Order(StringComparer.Ordinal)
            .SequenceEqual(got.Select(p => p.Name).Order(StringComparer.Ordinal), StringComparer.Ordinal);
        var sameHostCpus = wanted.Count == got.Count && wanted.Select(p => p.Value).OrderBy(HostCpu)
            .Zip(got.Select(p => p.Value).OrderBy(HostCpu), AreEqual).All(same => same);
        return sameGuestCpus && sameHostCpus
            ? null
            : Differ(path, expected, actual, "the pinned guest CPUs or their host CPUs differ");
    }

    private static double HostCpu(JsonElement cpu) =>
        cpu.ValueKind == JsonValueKind.Number ? cpu.GetDouble() : double.NaN;

    /// <summary>FINAL_STATE (§4.5): devices, pool members and provider names seen through the host's renaming.</summary>
    private ResultDifference? CompareFinalState(JsonElement expected, JsonElement actual, string path, string host)
    {
        var renaming = RenamingOf(host);
        return CompareObject(expected, actual, path, key => key switch
        {
            "devices" => (e, a, p) => CompareDevices(e, a, p, renaming),
            "pools" => (e, a, p) => ComparePools(e, a, p, renaming),
            "placement" => (e, a, p) => ComparePlacement(e, a, p, renaming, host),
            _ => null,
        });
    }

    private DeviceRenaming RenamingOf(string? host) =>
        host is not null && _renamings.TryGetValue(host, out var renaming) ? renaming : DeviceRenaming.Identity;
}

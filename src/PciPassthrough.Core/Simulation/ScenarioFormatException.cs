using System.Text.Json;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// The scenario itself is not valid (scenario-format §2.7): no result is produced. <see cref="Path"/> is the JSON
/// path of the offending field, e.g. <c>hosts[1].numa_cells[0].memory_mb</c>.
/// </summary>
public sealed class ScenarioFormatException(string path, string expected, string got)
    : Exception($"{path}: expected {expected}, got {got}")
{
    public string Path { get; } = path;

    /// <summary>The value as it appears in the scenario, shortened; <c>nothing</c> for a missing key.</summary>
    public static string Describe(JsonElement? value)
    {
        if (value is not { } element)
        {
            return "nothing";
        }

        var text = element.GetRawText();
        return text.Length <= 60 ? text : text[..57] + "...";
    }
}

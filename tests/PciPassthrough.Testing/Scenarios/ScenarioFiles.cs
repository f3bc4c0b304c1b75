namespace PciPassthrough.Testing.Scenarios;

/// <summary>
/// The scenarios kept with their expected results under <c>tests/scenarios/&lt;set&gt;/</c>: <c>NAME.json</c> and
/// <c>NAME.expected.json</c>. A scenario is named <c>&lt;set&gt;/NAME</c>, e.g. <c>public/gen-1-0001</c>.
/// </summary>
public static class ScenarioFiles
{
    private const string ExpectedSuffix = ".expected.json";

    /// <summary>The repository the tests were built from (the directory holding <c>PciPassthrough.slnx</c>).</summary>
    public static string RepositoryRoot { get; } = Locate();

    /// <summary><c>tests/scenarios</c> of the repository the tests were built from.</summary>
    public static string Root { get; } = Path.Combine(RepositoryRoot, "tests", "scenarios");

    /// <summary>Every scenario of every set, in ordinal order.</summary>
    public static IEnumerable<string> Names() =>
        Directory.EnumerateDirectories(Root)
            .SelectMany(set => Directory.EnumerateFiles(set, "*.json")
                .Where(file => !file.EndsWith(ExpectedSuffix, StringComparison.Ordinal))
                .Select(file => $"{Path.GetFileName(set)}/{Path.GetFileNameWithoutExtension(file)}"))
            .Order(StringComparer.Ordinal);

    public static string ScenarioPath(string name) => Path.Combine(Root, name + ".json");

    public static string ExpectedPath(string name) => Path.Combine(Root, name + ExpectedSuffix);

    // The build output lies under the repository (artifacts/), so the solution file is above it.
    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PciPassthrough.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No PciPassthrough.slnx above {AppContext.BaseDirectory}: the scenario files cannot be found.");
    }
}

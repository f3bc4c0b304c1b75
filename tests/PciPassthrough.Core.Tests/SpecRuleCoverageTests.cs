using System.Text.RegularExpressions;
using PciPassthrough.Testing.Scenarios;

namespace PciPassthrough.Core.Tests;

/// <summary>
/// From a rule id to its code and its test in one search: every rule the behaviour specification defines
/// (<c>- **DS-8**</c> in <c>../shared/spec/*.md</c>, <c>- **SIM-40**</c> in <c>../shared/scenario-format.md</c>) is
/// cited in a comment of <c>src</c> (e.g. <c>// 03 RQ-9</c>) and named in <c>tests</c>: a test method named after it
/// (<c>RQ9_…</c>, <c>PA12_PA5_…</c>), a comment carrying the id (a data row's <c>// RQ-18</c>), or a scenario of
/// <c>tests/scenarios</c> whose description names it. A rule range (<c>PA-10…12</c>) names only its ends.
/// </summary>
public sealed partial class SpecRuleCoverageTests
{
    private static readonly string _repository = ScenarioFiles.RepositoryRoot;
    private static readonly string _shared = Path.GetFullPath(Path.Combine(_repository, "..", "shared"));

    private static List<(string File, string Id)> DefinedRules()
    {
        Assert.SkipUnless(Directory.Exists(Path.Combine(_shared, "spec")),
            $"the behaviour specification is not beside this checkout ({_shared}/spec)");
        var files = Directory.EnumerateFiles(Path.Combine(_shared, "spec"), "*.md")
            .Append(Path.Combine(_shared, "scenario-format.md")).Where(File.Exists).Order(StringComparer.Ordinal).ToList();
        return [.. files.SelectMany(file => File.ReadLines(file)
            .Select(line => RuleDefinition().Match(line)).Where(m => m.Success)
            .Select(m => (Path.GetFileName(file), m.Groups[1].Value)))];
    }

    /// <summary>The files' text; not this file, whose examples (<c>DS-8</c>, <c>SIM-40</c>) would count as tests.</summary>
    private static string Read(string directory, string pattern) => string.Join('\n',
        Directory.EnumerateFiles(Path.Combine(_repository, directory), pattern, SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.EndsWith(".expected.json", StringComparison.Ordinal)
                && Path.GetFileName(path) != $"{nameof(SpecRuleCoverageTests)}.cs")
            .Select(File.ReadAllText));

    private static bool Mentions(string text, string id) =>
        Regex.IsMatch(text, $@"(?<![A-Za-z0-9]){Regex.Escape(id)}(?![0-9a-z])", RegexOptions.None, TimeSpan.FromSeconds(5));

    private static bool InAComment(string text, string id) =>
        Regex.IsMatch(text, $@"//[^\n]*(?<![A-Za-z0-9]){Regex.Escape(id)}(?![0-9a-z])", RegexOptions.None, TimeSpan.FromSeconds(5));

    private static bool NamesATest(string text, string id) =>
        Regex.IsMatch(text, $@"(?<![A-Za-z0-9]){id.Replace("-", "", StringComparison.Ordinal)}_\w*\s*\(", RegexOptions.None, TimeSpan.FromSeconds(5));

    [Fact]
    public void EverySpecFile_DefinesRules()
    {
        var rules = DefinedRules();

        rules.Select(r => r.File).Distinct().Count().ShouldBeGreaterThanOrEqualTo(9);
        rules.Count.ShouldBeGreaterThan(200);
        rules.Select(r => r.Id).ShouldContain("SIM-40");
        rules.Select(r => r.Id).ShouldContain("LC-12");
    }

    /// <summary>In a comment at the code (<c>// 03 RQ-9</c> or a doc comment), not only in a message it prints.</summary>
    [Fact]
    public void EveryRule_IsCitedInACommentOfTheCode()
    {
        var src = Read("src", "*.cs");

        DefinedRules().Where(r => !InAComment(src, r.Id)).Select(r => $"{r.File} {r.Id}").ShouldBeEmpty();
    }

    [Fact]
    public void EveryRule_HasATestNamedAfterIt()
    {
        var tests = Read("tests", "*.cs");
        var scenarios = Read(Path.Combine("tests", "scenarios"), "*.json");

        DefinedRules().Where(r => !NamesATest(tests, r.Id) && !InAComment(tests, r.Id) && !Mentions(scenarios, r.Id))
            .Select(r => $"{r.File} {r.Id}").ShouldBeEmpty();
    }

    /// <summary>A definition starts a list item: <c>- **RQ-9**</c> or <c>- **LC-12 free for instance**</c>.</summary>
    [GeneratedRegex(@"^\s*- \*\*([A-Z]+-[0-9]+[a-z]?)\b")]
    private static partial Regex RuleDefinition();
}

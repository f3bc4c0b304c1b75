using PciPassthrough.Core.Simulation;
using PciPassthrough.Testing.Scenarios;

namespace PciPassthrough.Core.Tests.Simulation;

/// <summary>
/// Every scenario of <c>tests/scenarios</c> gives its expected result under the comparison rules of
/// scenario-format §8: <c>public/</c> holds the published examples, <c>oracle/</c> scenarios whose expected
/// result Nova's own code produced.
/// </summary>
public sealed class ScenarioConformanceTests
{
    public static TheoryData<string> Scenarios => [.. ScenarioFiles.Names()];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Simulate_Scenario_GivesTheExpectedResult(string scenario)
    {
        var result = ScenarioRunner.Run(ScenarioReader.Read(File.ReadAllBytes(ScenarioFiles.ScenarioPath(scenario))));

        var difference = ScenarioResultComparer.Compare(
            File.ReadAllBytes(ScenarioFiles.ExpectedPath(scenario)), ResultBytes.Of(result, indented: false));

        difference?.ToString().ShouldBeNull();
    }

    [Theory]
    [InlineData("public")]
    [InlineData("oracle")]
    public void Scenarios_EverySetHasScenariosWithExpectedResults(string set)
    {
        var names = ScenarioFiles.Names().Where(name => name.StartsWith(set + "/", StringComparison.Ordinal)).ToList();

        names.ShouldNotBeEmpty();
        names.ShouldAllBe(name => File.Exists(ScenarioFiles.ExpectedPath(name)));
    }
}

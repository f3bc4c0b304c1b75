using System.Text.Json.Nodes;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary>
/// Issue 8 item 2: <c>pcictl capacity</c> against a real <c>serve --demo</c>, whose answers are known from the
/// fixture hosts: cmp-gpu holds the only two A100s (one per NUMA node), cmp-sriov 4 pairs of X710 VFs and cmp-flat 1,
/// gpu.a100x4 (16 vCPUs, 64 GiB, 4 A100s) fits nowhere, and cmp-sriov's X710 VFs are all on NUMA cell 0. This machine, also in the demo, is assumed to have
/// neither A100s nor X710 VFs. Nothing here changes the fleet, so one controller serves every test.
/// </summary>
public sealed class CapacityCommandTests(DemoController demo) : IClassFixture<DemoController>
{
    private const string GpuPrefix = "needs 1 × alias a100: type-PCI 10de:20b0 (policy legacy): ";

    [Fact]
    public void AsManyAsFit_TotalPerHostAndEveryHostsBlocker()
    {
        var (exitCode, output, error) = demo.Pcictl("capacity", "--flavor", "gpu.a100");

        exitCode.ShouldBe(0, error);
        output.ShouldStartWith("2 more servers of gpu.a100 fit\n\nHOST ");
        Row(output, "cmp-gpu").ShouldBe(["2", "devices", GpuPrefix + "too few free matching devices (NUMA node 0: 0 free, NUMA node 1: 0 free)"]);
        Row(output, "cmp-flat").ShouldBe(["0", "devices", GpuPrefix + "no device of the host matches"]);
        Row(output, "cmp-sriov").ShouldBe(["0", "devices", GpuPrefix + "no device of the host matches"]);
        output.ShouldContain("\n" + new string(' ', output.IndexOf("needs", StringComparison.Ordinal) - output.IndexOf("\ncmp-", StringComparison.Ordinal) - 1)
            + "no set of host cells that fits the guest also offers its PCI devices under their NUMA policy",
            customMessage: "a host's further reasons are lines of their own under the first");
    }

    [Fact]
    public void FitsNowhere_SaysWhatBlocksEachHost_ResourcesOrDevices()
    {
        var (exitCode, output, _) = demo.Pcictl("capacity", "--flavor", "gpu.a100x4");

        exitCode.ShouldBe(0, "no count was asked for: the answer itself is the result");
        output.ShouldStartWith("0 more servers of gpu.a100x4 fit\n");
        Row(output, "cmp-flat").ShouldBe(["0", "resources", "VCPU: needs 16, more than the largest allocation allowed (max_unit 4)"]);
        Row(output, "cmp-gpu").ShouldBe(["0", "devices",
            "needs 4 × alias a100: type-PCI 10de:20b0 (policy legacy): too few free matching devices (NUMA node 0: 1 free, NUMA node 1: 1 free)"]);
        output.ShouldContain("MEMORY_MB: needs 65536, more than the largest allocation allowed (max_unit 8192)\n");
    }

    [Fact]
    public void VfsOnOneCell_WithRequiredAffinity_AreBlockedByNuma()
    {
        demo.Pcictl("flavor", "create", "vf.numa", "--vcpus", "4", "--ram", "40000", "--property", "pci_passthrough:alias=x710-vf:2",
            "--property", "hw:numa_nodes=1", "--property", "hw:pci_numa_affinity_policy=required").ExitCode.ShouldBe(0);

        var (exitCode, output, error) = demo.Pcictl("capacity", "--flavor", "vf.numa");

        exitCode.ShouldBe(0, error);
        output.ShouldStartWith("2 more servers of vf.numa fit\n");
        Row(output, "cmp-sriov").ShouldBe(["2", "numa", "no set of host cells that fits the guest also offers its PCI devices "
            + "under their NUMA policy: 2 × alias x710-vf: type-VF 8086:154c (policy required)"],
            "the X710 VFs are all on cell 0, whose memory two guests use up; cell 1 has room but no X710 VF");
        Row(output, "cmp-flat").ShouldBe(["0", "resources", "MEMORY_MB: needs 40000, more than the largest allocation allowed (max_unit 8192)"]);
    }

    [Fact]
    public void FewerThanTheCount_ExitsOne_AndTheLastLineSaysSo()
    {
        var (exitCode, output, _) = demo.Pcictl("capacity", "--flavor", "vf.x710", "--count", "6");

        exitCode.ShouldBe(1);
        output.ShouldStartWith("5 more servers of vf.x710 fit (6 asked for)\n");
        Row(output, "cmp-sriov").ShouldBe(["4", "devices",
            "needs 2 × alias x710-vf: type-VF 8086:154c (policy legacy): too few free matching devices (NUMA node 0: 0 free)"]);
        Row(output, "cmp-flat").ShouldBe(["1", "devices",
            "needs 2 × alias x710-vf: type-VF 8086:154c (policy legacy): too few free matching devices (no NUMA node: 0 free)"]);
        output.TrimEnd('\n').Split('\n')[^1].ShouldBe(
            "pcictl capacity: only 5 of the 6 servers of vf.x710 asked for fit; BLOCKED BY says what stops each host");
    }

    [Fact]
    public void ACountThatFits_ExitsZero_WithNoBlockers()
    {
        var (exitCode, output, error) = demo.Pcictl("capacity", "--flavor", "vf.x710", "--image", "cirros", "--count", "5");

        exitCode.ShouldBe(0, error);
        output.ShouldStartWith("5 more servers of vf.x710 with image cirros fit (5 asked for)\n");
        Row(output, "cmp-sriov").ShouldBe(["4", "-", "-"]);
        Row(output, "cmp-flat").ShouldBe(["1", "-", "-"]);
    }

    [Fact]
    public void JsonFormat_IsTheApisAnswer_AndKeepsTheExitCode()
    {
        var (exitCode, output, _) = demo.Pcictl("capacity", "--flavor", "vf.x710", "--count", "6", "--format", "json");

        exitCode.ShouldBe(1);
        var plan = JsonNode.Parse(output)!;
        (plan["flavor"]!.GetValue<string>(), plan["asked"]!.GetValue<int>(), plan["fits"]!.GetValue<int>()).ShouldBe(("vf.x710", 6, 5));
        plan["per_host"]!.AsArray().Single(h => h!["host"]!.GetValue<string>() == "cmp-sriov")!["count"]!.GetValue<int>().ShouldBe(4);
        plan["blockers"]!.AsArray().Single(b => b!["host"]!.GetValue<string>() == "cmp-flat")!["kind"]!.GetValue<string>().ShouldBe("devices");
    }

    [Theory]
    [InlineData("ghost", null, "flavor 'ghost' does not exist; the flavors are gpu.a100, gpu.a100x4, m1.small")]
    [InlineData("gpu.a100", "ubuntu", "image 'ubuntu' does not exist; the images are cirros, cirros-viommu.")]
    public void UnknownName_ExitsOne_NamingItAndTheValidOnes(string flavor, string? image, string message)
    {
        var (exitCode, output, error) = demo.Pcictl(["capacity", "--flavor", flavor, .. image is null ? [] : new[] { "--image", image }]);

        exitCode.ShouldBe(1);
        output.ShouldBeEmpty();
        error.ShouldStartWith("pcictl: refused: " + message);
    }

    [Fact]
    public void AFlavorTheApiRefuses_ExitsOne_SayingWhy()
    {
        demo.Pcictl("flavor", "create", "nope.1", "--vcpus", "1", "--ram", "512", "--property", "pci_passthrough:alias=nope:1")
            .ExitCode.ShouldBe(0);

        var (exitCode, output, _) = demo.Pcictl("capacity", "--flavor", "nope.1");

        exitCode.ShouldBe(1);
        output.ShouldStartWith("0 more servers of nope.1 fit\n");
        output.TrimEnd('\n').Split('\n')[^1].ShouldStartWith("pcictl capacity: no server of nope.1 can boot at all: ");
        output.TrimEnd('\n').Split('\n')[^1].ShouldContain("nope");
    }

    [Fact]
    public void AMember_IsRefused() =>
        demo.Pcictl("capacity", "--flavor", "gpu.a100", "--auth-token", "alice").ShouldSatisfyAllConditions(
            r => r.ExitCode.ShouldBe(1),
            r => r.Error.ShouldStartWith("pcictl: this token may not do that: "));

    [Theory]
    [InlineData("capacity", "--count", "2")]
    [InlineData("capacity", "--flavor", "gpu.a100", "--count", "0")]
    [InlineData("capacity", "--flavor", "gpu.a100", "--count", "100001")]
    [InlineData("capacity", "--flavor", "gpu.a100", "--count", "many")]
    public void BadArguments_ExitTwo(params string[] args) => demo.Pcictl(args).ExitCode.ShouldBe(2);

    [Fact]
    public void NoController_ExitsThree() =>
        HostCommandRunner.Run("capacity", "--flavor", "gpu.a100", "--controller", "http://127.0.0.1:1").ExitCode.ShouldBe(3);

    [Fact]
    public void Help_TeachesWithExamples()
    {
        var (exitCode, output, _) = HostCommandRunner.Run("capacity", "--help");

        exitCode.ShouldBe(0);
        output.ShouldContain("pcictl capacity --flavor vf.x710 --count 6");
        output.ShouldContain("host_unavailable");
        output.ShouldContain("--count <N>");
    }

    /// <summary>The cells after HOST of the first row of <paramref name="host"/> in the table.</summary>
    private static string[] Row(string output, string host)
    {
        var line = output.Split('\n').Single(l => l.StartsWith(host + " ", StringComparison.Ordinal));
        return [.. line.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1)];
    }
}

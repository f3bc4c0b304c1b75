using System.Text.Json;
using CsCheck;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Core.Tests.Simulation;

/// <summary>
/// SIM-36, SIM-38, SIM-42: every guest's pinned host CPUs stay its own. Under thread policy <c>isolate</c> a claim pins
/// whole sibling sets; the emulator thread CPU the fit picks (SIM-39) may sit in a set another guest holds part of.
/// Nova's resource tracker then raises <c>CPUPinningInvalid</c> while recording the usage, the claim fails on that host
/// and the boot goes to the next one; a delete therefore never frees CPUs another guest holds.
/// </summary>
public sealed class PinningOverlapTests
{
    private static readonly Dictionary<int, int[][]> _siblings = new() { [0] = [[0, 1, 2, 3], [4, 5, 6, 7]], [1] = [[8, 9], [10, 11]] };

    private static ScenarioHost Host(string name) => ScenarioReader.ReadHost(JsonSerializer.SerializeToElement(new
    {
        name,
        numa_cells = new object[]
        {
            new { id = 0, socket = 0, cpus = Enumerable.Range(0, 8), pcpus = Enumerable.Range(0, 8), memory_mb = 8192, siblings = _siblings[0] },
            new { id = 1, socket = 0, cpus = Enumerable.Range(8, 4), pcpus = Enumerable.Range(8, 4), memory_mb = 8192, siblings = _siblings[1] },
        },
    }), new ScenarioConfig());

    private static ScenarioBoot Boot(string name, int vcpus, Dictionary<string, string> extraSpecs) => ScenarioReader.ReadBoot(
        JsonSerializer.SerializeToElement(new { name, flavor = new { vcpus, memory_mb = 256, extra_specs = extraSpecs } }), 0);

    private static Dictionary<string, string> Dedicated(string? threadPolicy = null, bool isolateEmulator = false)
    {
        var specs = new Dictionary<string, string> { ["hw:cpu_policy"] = "dedicated" };
        if (threadPolicy is not null)
        {
            specs["hw:cpu_thread_policy"] = threadPolicy;
        }

        if (isolateEmulator)
        {
            specs["hw:emulator_threads_policy"] = "isolate";
        }

        return specs;
    }

    private static Fleet TwoHosts()
    {
        var fleet = new Fleet(new ScenarioConfig());
        fleet.UpsertHost(Host("h1")).Report.Ok.ShouldBeTrue();
        fleet.UpsertHost(Host("h2")).Report.Ok.ShouldBeTrue();
        return fleet;
    }

    [Fact]
    public void SIM36_SIM38_IsolateEmulatorThreadInASetAnotherGuestHoldsPartOf_FailsTheClaimThere()
    {
        var fleet = TwoHosts();
        fleet.Boot(Boot("a", 3, Dedicated())).ChosenHost.ShouldBe("h1");
        var before = Usage(fleet, "h1");

        var boot = fleet.Boot(Boot("b", 1, Dedicated("isolate", isolateEmulator: true)));

        var h1 = boot.Hosts.Single(h => h.Host == "h1");
        (h1.Fits, h1.RejectedBy, h1.NumaTopologyFilterPassed).ShouldBe((false, HostChecks.Claim, true));
        h1.SchedulerNumaCells.ShouldNotBeNull(); // the scheduler's fit passed; recording it fails
        h1.Claim!.Error!.Kind.ShouldBe("CPUPinningInvalid");
        h1.Claim.Error.NovaException.ShouldBeTrue();
        h1.NumaCells.ShouldBeNull();
        boot.ChosenHost.ShouldBe("h2");
        Usage(fleet, "h1").ShouldBe(before);
    }

    [Fact]
    public void SIM42_DeletingTheGuestThatFailedThere_LeavesTheOtherGuestsCpusPinned()
    {
        // session 12's repro: with the union pinned, deleting b unpinned a's CPUs 0–2 and c took them
        var fleet = TwoHosts();
        fleet.Boot(Boot("a", 3, Dedicated()));
        fleet.Boot(Boot("b", 1, Dedicated("isolate", isolateEmulator: true)));
        fleet.Delete("b");

        fleet.Boot(Boot("c", 4, Dedicated())).ChosenHost.ShouldBe("h1");

        fleet.HostState("h1")!.NumaCells[0].PinnedCpus.ShouldBe([0, 1, 2, 4, 5, 6, 7]);
        Pins(fleet, "c").ShouldBe([4, 5, 6, 7]);
    }

    /// <summary>Random boots (shared, dedicated and mixed; every thread policy; emulator threads isolated or not; one
    /// or two guest cells) and deletes on two SMT hosts: after every step each host cell pins exactly the disjoint
    /// union of its guests' CPUs (whole sibling sets for <c>isolate</c>), so no delete frees another guest's CPUs.</summary>
    [Fact]
    public void SIM38_SIM42_AnyBootsAndDeletes_EachCellPinsExactlyItsGuestsCpus()
    {
        var overlaps = 0;
        var step = Gen.Select(Gen.Int[0, 5], Gen.Int[1, 4], Gen.Int[0, 4], Gen.Bool, Gen.Int[1, 2]);
        step.Array[1, 30].Sample(steps =>
        {
            var fleet = TwoHosts();
            var isolated = new Dictionary<string, bool>();
            var booted = 0;
            foreach (var (kind, vcpus, threadPolicy, isolateEmulator, nodes) in steps)
            {
                if (kind == 0 && fleet.Servers.Any())
                {
                    var victim = fleet.Servers.ElementAt(vcpus % fleet.Servers.Count()).Name;
                    fleet.Delete(victim);
                    isolated.Remove(victim);
                }
                else
                {
                    var name = $"vm{booted++}";
                    var specs = kind == 1 ? new Dictionary<string, string>()
                        : Dedicated(((string?[])[null, "prefer", "require", "isolate", "isolate"])[threadPolicy], isolateEmulator);
                    if (kind == 2 && vcpus > 1)
                    {
                        specs["hw:cpu_policy"] = "mixed";
                        specs["hw:cpu_dedicated_mask"] = "^0";
                    }

                    specs["hw:numa_nodes"] = vcpus % nodes == 0 ? $"{nodes}" : "1";
                    var result = fleet.Boot(Boot(name, vcpus, specs));
                    if (result.Hosts.Any(h => h.Claim?.Error?.Kind == NumaUsage.CpuPinningInvalid))
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    if (result.ChosenHost is not null)
                    {
                        isolated[name] = specs.GetValueOrDefault("hw:cpu_thread_policy") == "isolate";
                    }
                }

                foreach (var host in (string[])["h1", "h2"])
                {
                    CheckPinning(fleet, host, isolated);
                }
            }
        });

        overlaps.ShouldBeGreaterThan(0);
    }

    private static void CheckPinning(Fleet fleet, string host, Dictionary<string, bool> isolated)
    {
        var cells = fleet.HostState(host)!.NumaCells;
        var held = cells.ToDictionary(cell => cell.Id, _ => new List<int>());
        foreach (var server in fleet.Servers.Where(s => s.Host == host))
        {
            foreach (var cell in fleet.NumaCells(server.Name) ?? [])
            {
                var cpus = (cell.CpuPinning ?? []).Select(pin => pin.Value).Concat(cell.CpusetReserved ?? []).ToHashSet();
                held[cell.HostCell].AddRange(isolated[server.Name] ? _siblings[cell.HostCell].Where(set => set.Any(cpus.Contains)).SelectMany(set => set) : cpus);
            }
        }

        foreach (var cell in cells)
        {
            held[cell.Id].Count.ShouldBe(held[cell.Id].Distinct().Count(), $"{host} cell {cell.Id}: two guests pin one CPU");
            cell.PinnedCpus.ShouldBe([.. held[cell.Id].Order()], $"{host} cell {cell.Id}");
        }
    }

    private static string[] Usage(Fleet fleet, string host) =>
        [.. fleet.HostState(host)!.NumaCells.Select(c => $"{c.MemoryUsageMb}/{c.CpuUsage}/{string.Join(',', c.PinnedCpus)}")];

    private static int[] Pins(Fleet fleet, string server) => [.. fleet.NumaCells(server)!.SelectMany(cell => cell.CpuPinning!.Select(pin => pin.Value)).Order()];
}

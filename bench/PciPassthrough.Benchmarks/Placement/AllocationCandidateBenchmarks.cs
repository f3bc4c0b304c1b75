using BenchmarkDotNet.Attributes;
using PciPassthrough.Core.PlacementApi;

namespace PciPassthrough.Benchmarks.Placement;

/// <summary>
/// Issue 6 targets for the candidate search alone (no HTTP, no database): 1,000 hosts × 8 PF × 64 VF with 4
/// single-VF groups, <c>group_policy=isolate</c>, <c>limit=1000</c> ≤ 100 ms; 10,000 hosts × 2 PF × 8 VF, one VF,
/// no limit (20,000 candidates) ≤ 100 ms. Below 1.29 a limit that cuts the answer also costs the summaries of the
/// kept trees (PA-48: every provider some candidate of those trees uses): four VFs at 1.28 with
/// <c>group_policy=none</c> (PA-47 leaves one PF per candidate), limit 1,000.
/// </summary>
[MemoryDiagnoser]
public class AllocationCandidateBenchmarks
{
    private PlacementSnapshot _wide = null!;
    private PlacementSnapshot _many = null!;
    private CandidateQuery _fourIsolatedVfs = null!;
    private CandidateQuery _oneVf = null!;
    private CandidateQuery _fourVfsAt128 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _wide = Fleet(hosts: 1_000, pfs: 8, vfs: 64);
        _many = Fleet(hosts: 10_000, pfs: 2, vfs: 8);
        _fourIsolatedVfs = new CandidateQuery([.. Enumerable.Range(1, 4).Select(i => VfGroup(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
            Isolate: true, Limit: 1000, NestedAware: true);
        _oneVf = new CandidateQuery([VfGroup("")], Isolate: false, Limit: null, NestedAware: true);
        _fourVfsAt128 = _fourIsolatedVfs with { Isolate = false, NestedAware = false };
    }

    [Benchmark]
    public int FourIsolatedVfs_1000Hosts_Limit1000() => AllocationCandidateGenerator.Generate(_wide, _fourIsolatedVfs).Count();

    [Benchmark]
    public int FourVfs_1000Hosts_Limit1000_At128_WithSummaries()
    {
        var keptRoots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in AllocationCandidateGenerator.Generate(_wide, _fourVfsAt128))
        {
            keptRoots.UnionWith(candidate.Allocations.Keys.Select(uuid => _wide.Providers[uuid].RootUuid));
        }

        return AllocationCandidateGenerator.ProvidersUsedIn(_wide, _fourVfsAt128, keptRoots).Count;
    }

    [Benchmark]
    public int OneVf_10000Hosts_NoLimit() => AllocationCandidateGenerator.Generate(_many, _oneVf).Count();

    private static RequestGroup VfGroup(string suffix) => new(suffix, new Dictionary<string, int> { ["SRIOV_NET_VF"] = 1 },
        TraitFilter.None, AggregateFilter.None, InTreeRoot: null);

    private static PlacementSnapshot Fleet(int hosts, int pfs, int vfs)
    {
        var none = new HashSet<string>();
        var providers = new List<ProviderState>();
        for (var h = 0; h < hosts; h++)
        {
            var root = $"host-{h:d5}";
            providers.Add(new ProviderState(root, null, root, providers.Count,
                new Dictionary<string, InventoryState> { ["VCPU"] = new(64, 0, 1, 64, 1, 4.0, 0) }, none, none));
            for (var p = 0; p < pfs; p++)
            {
                providers.Add(new ProviderState($"{root}-pf{p}", root, root, providers.Count,
                    new Dictionary<string, InventoryState> { ["SRIOV_NET_VF"] = new(vfs, 0, 1, vfs, 1, 1.0, 0) }, none, none));
            }
        }

        return new PlacementSnapshot(providers);
    }
}

using PciPassthrough.Cli.Commands;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.NovaConf;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary>The demo fleet under <c>examples/</c>: its trees are the test fixtures' (regenerate with
/// <c>PCICTL_WRITE_FLEET=1 dotnet test --filter DemoFleetTests</c>), and its nova.conf selects devices on each.</summary>
public sealed class DemoFleetTests
{
    private static readonly Dictionary<string, Func<FakeSysfsBuilder>> _fixtures = new()
    {
        ["cmp-flat"] = () => FakeSysfsHosts.NoNuma().WithHostname("cmp-flat"),
        ["cmp-gpu"] = () => FakeSysfsHosts.Gpus().WithHostname("cmp-gpu"),
        ["cmp-sriov"] = () => FakeSysfsHosts.DualSocketSriov().WithHostname("cmp-sriov"),
    };

    private static readonly string _examples = DemoFleet.FindExamples()
        ?? throw new InvalidOperationException("no examples/ with the demo fleet above the test binaries");

    [Fact]
    public void FixtureHosts_AreTheFixturesWrittenHere() =>
        DemoFleet.FixtureHosts.ShouldBe(_fixtures.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("cmp-flat")]
    [InlineData("cmp-gpu")]
    [InlineData("cmp-sriov")]
    public void CommittedTree_IsWhatTheFixtureWrites(string host)
    {
        var committed = Path.Combine(_examples, DemoFleet.FleetDirectory, host);
        if (Environment.GetEnvironmentVariable("PCICTL_WRITE_FLEET") == "1")
        {
            if (Directory.Exists(committed))
            {
                Directory.Delete(committed, recursive: true);
            }

            _fixtures[host]().Build(committed);
        }

        using var fresh = _fixtures[host]().Build();

        Snapshot(committed).ShouldBe(Snapshot(fresh.Root),
            $"examples/fleet/{host} drifted from its fixture: run PCICTL_WRITE_FLEET=1 dotnet test --filter DemoFleetTests");
    }

    [Theory]
    [InlineData("cmp-flat", 2)]
    [InlineData("cmp-gpu", 2)]
    [InlineData("cmp-sriov", 10)]
    public void DemoConfig_SelectsDevicesOnEveryHostWithoutRefusal(string host, int tracked)
    {
        var conf = NovaConfOptions.Read(NovaConfFile.Read(Path.Combine(_examples, DemoFleet.ConfigFileName)));

        var inventory = HostInventory.Discover(Path.Combine(_examples, DemoFleet.FleetDirectory, host), conf, host);

        conf.Errors.ShouldBeEmpty();
        conf.Aliases.Count.ShouldBe(2);
        inventory.ConfigErrors.ShouldBeEmpty();
        inventory.Tracker.ShouldNotBeNull().Devices.Count.ShouldBe(tracked);
    }

    /// <summary>Every file (content) and symlink (target) under <paramref name="root"/>; empty directories are left
    /// out, as git does not keep them.</summary>
    private static SortedDictionary<string, string> Snapshot(string root)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Walk(string directory)
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(directory))
            {
                var relative = Path.GetRelativePath(root, path);
                if (new FileInfo(path).LinkTarget is { } target)
                {
                    entries[relative] = "-> " + target;
                }
                else if (Directory.Exists(path))
                {
                    Walk(path);
                }
                else
                {
                    entries[relative] = Convert.ToBase64String(File.ReadAllBytes(path));
                }
            }
        }

        Walk(root);
        return entries;
    }
}

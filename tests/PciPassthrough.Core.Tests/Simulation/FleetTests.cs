using System.Text.Json;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Core.Simulation.Results;
using static PciPassthrough.Core.Tests.Simulation.FleetFixtures;

namespace PciPassthrough.Core.Tests.Simulation;

public sealed class FleetTests
{
    [Fact]
    public void Boot_TakesTheFirstFittingHost_AndDeleteFreesItsDevices()
    {
        var fleet = FleetOf(Host("h1", gpus: 1), Host("h2", gpus: 2));

        var first = fleet.Boot(Boot("a", "gpu:1"));
        var second = fleet.Boot(Boot("b", "gpu:1"));

        (first.Result, first.ChosenHost, second.ChosenHost).ShouldBe((BootResult.Placed, "h1", "h2"));
        fleet.Devices("a").Select(d => d.Address).ShouldBe(["0000:3b:00.0"]);
        fleet.HostState("h1")!.Devices!.Single().Status.ShouldBe("allocated");

        var deleted = fleet.Delete("a");

        deleted.ChangedDevices.ShouldBe(["0000:3b:00.0"]);
        fleet.HostState("h1")!.Devices!.Single().Status.ShouldBe("available");
        fleet.Server("a").ShouldBeNull();
    }

    [Fact]
    public void Boot_WithNoRoom_IsNoValidHost_WithAReasonForEveryHost()
    {
        var fleet = FleetOf(Host("h1", gpus: 1), Host("h2", gpus: 0));

        var result = fleet.Boot(Boot("big", "gpu:2"));

        result.Result.ShouldBe(BootResult.NoValidHost);
        result.Hosts.Select(h => h.Host).ShouldBe(["h1", "h2"]);
        result.Hosts.ShouldAllBe(h => h.Rejections.Count > 0);
        fleet.Server("big").ShouldBeNull();
    }

    [Fact]
    public void Move_ClaimsOnAnotherHost_ConfirmFreesTheSource()
    {
        var fleet = FleetOf(Host("h1", gpus: 1), Host("h2", gpus: 1));
        fleet.Boot(Boot("a", "gpu:1"));

        var move = fleet.Move("a", Boot("a", "gpu:1"));

        move.ChosenHost.ShouldBe("h2");
        move.Hosts.Single(h => h.Host == "h1").RejectedBy.ShouldBe(Fleet.Excluded);
        fleet.Server("a")!.SourceHost.ShouldBe("h1");
        Statuses(fleet).ShouldBe(["allocated", "allocated"]);

        fleet.ConfirmMove("a").ShouldBe(["0000:3b:00.0"]);

        Statuses(fleet).ShouldBe(["available", "allocated"]);
        fleet.Server("a")!.Host.ShouldBe("h2");
        fleet.Server("a")!.SourceHost.ShouldBeNull();
    }

    [Fact]
    public void Move_NeverChoosesAnExcludedHost_AndReportsIt()
    {
        var fleet = FleetOf(Host("h1", gpus: 1), Host("h2", gpus: 1), Host("h3", gpus: 1));
        fleet.Boot(Boot("a", "gpu:1"));

        var move = fleet.Move("a", Boot("a", "gpu:1"), ["h2"]);

        move.ChosenHost.ShouldBe("h3");
        move.Hosts.Where(h => h.RejectedBy == Fleet.Excluded).Select(h => h.Host).ShouldBe(["h1", "h2"]);
    }

    [Fact]
    public void Move_WithEveryOtherHostExcluded_IsNoValidHost_AndTheServerStays()
    {
        var fleet = FleetOf(Host("h1", gpus: 1), Host("h2", gpus: 1));
        fleet.Boot(Boot("a", "gpu:1"));

        var move = fleet.Move("a", Boot("a", "gpu:1"), ["h2"]);

        move.Result.ShouldBe(BootResult.NoValidHost);
        (fleet.Server("a")!.Host, fleet.Server("a")!.SourceHost).ShouldBe(("h1", null));
        Statuses(fleet).ShouldBe(["allocated", "available"]);
    }

    [Fact]
    public void RevertMove_FreesTheDestination_AndTheServerIsBackOnItsSource()
    {
        var fleet = MovingFromH1ToH2();

        fleet.RevertMove("a");

        Statuses(fleet).ShouldBe(["allocated", "available"]);
        fleet.Server("a")!.Host.ShouldBe("h1");
        Should.Throw<InvalidOperationException>(() => fleet.ConfirmMove("a"));
    }

    [Fact]
    public void Delete_DuringAMove_FreesBothHosts()
    {
        var fleet = MovingFromH1ToH2();

        fleet.Delete("a");

        Statuses(fleet).ShouldBe(["available", "available"]);
    }

    [Fact]
    public void UpsertHost_Restart_TakesItsServersBack_AndListsThoseThatNoLongerFit()
    {
        var fleet = FleetOf(Host("h1", gpus: 2));
        fleet.Boot(Boot("a", "gpu:1"));
        fleet.Boot(Boot("b", "gpu:1"));

        var (_, lost) = fleet.UpsertHost(Host("h1", gpus: 1));

        lost.ShouldBe(["b"]);
        fleet.Server("a")!.Host.ShouldBe("h1");
        fleet.Server("b").ShouldBeNull();
        fleet.HostState("h1")!.Instances.ShouldBe(["a"]);
    }

    [Fact]
    public void SameChangesInTheSameOrder_GiveTheSameState()
    {
        static Fleet Replay()
        {
            var fleet = FleetOf(Host("h1", gpus: 2), Host("h2", gpus: 2));
            fleet.Boot(Boot("a", "gpu:1"));
            fleet.Boot(Boot("b", "gpu:2"));
            fleet.Delete("a");
            fleet.Boot(Boot("c", "gpu:1"));
            fleet.Move("c", Boot("c", "gpu:1"));
            return fleet;
        }

        var (one, two) = (Replay(), Replay());

        foreach (var host in one.HostNames)
        {
            JsonSerializer.Serialize(one.HostState(host)).ShouldBe(JsonSerializer.Serialize(two.HostState(host)));
        }
    }

    [Fact]
    public void Snapshot_AndTheFleet_ChangeIndependently()
    {
        var fleet = FleetOf(Host("h1", gpus: 2), Host("h2", gpus: 2));
        fleet.Boot(Boot("a", "gpu:1"));
        fleet.Move("a", Boot("a", "gpu:1"));
        fleet.Boot(Boot("b", "gpu:1"));
        var before = States(fleet);

        var snapshot = fleet.Snapshot();
        fleet.ConfirmMove("a");
        fleet.Delete("b");
        var after = States(fleet);

        States(snapshot).ShouldBe(before);
        snapshot.RevertMove("a");
        snapshot.Delete("b");
        States(fleet).ShouldBe(after);
        snapshot.Server("a")!.Host.ShouldBe("h1");
        fleet.Server("a")!.Host.ShouldBe("h2");
    }

    [Fact]
    public void LiveMigrationBlocker_NamesAnAliasWithoutLiveMigratableDevices()
    {
        var fleet = FleetOf(Host("h1", gpus: 2));
        fleet.Boot(Boot("plain", "gpu:1"));
        fleet.Boot(Boot("movable", "lm:1"));

        fleet.LiveMigrationBlocker("plain")!.Kind.ShouldBe(PciErrorKinds.MigrationPreCheckError);
        fleet.LiveMigrationBlocker("movable").ShouldBeNull();
    }

    [Fact]
    public void DomainXml_HasAHostdevForEachAliasDevice_AndTheAskedVirtualIommu()
    {
        var fleet = FleetOf(Host("h1", gpus: 1));
        fleet.Boot(Boot("a", "gpu:1", viommu: "intel"));

        var xml = fleet.DomainXml("a");

        xml.Devices.Select(d => d.Name.LocalName).ShouldBe(["hostdev", "iommu"]);
        xml.Devices[0].ToString().ShouldContain("bus=\"0x3b\"");
        xml.Devices[1].Attribute("model")!.Value.ShouldBe("intel");
    }

    private static Fleet MovingFromH1ToH2()
    {
        var fleet = FleetOf(Host("h1", gpus: 1), Host("h2", gpus: 1));
        fleet.Boot(Boot("a", "gpu:1"));
        fleet.Move("a", Boot("a", "gpu:1"));
        return fleet;
    }

    private static List<string> States(Fleet fleet) => [.. fleet.HostNames.Select(h => JsonSerializer.Serialize(fleet.HostState(h)))];

    private static List<string> Statuses(Fleet fleet) =>
        [.. fleet.HostNames.SelectMany(h => fleet.HostState(h)!.Devices!).Select(d => d.Status)];
}

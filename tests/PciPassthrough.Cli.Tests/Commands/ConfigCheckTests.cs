using CsCheck;
using PciPassthrough.Cli.Commands;
using PciPassthrough.Host.NovaConf;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Cli.Tests.Commands;

public sealed class ConfigCheckTests
{
    private static readonly Gen<string> _jsonish = Gen.OneOf(
        Gen.String["{}[]\":, abn0123456789*.-_$"],
        Gen.OneOf<string>(
            """{"name": "a1", "vendor_id": "8086", "product_id": "154d"}""",
            """{"name": "a1", "vendor_id": "8086", "product_id": "154e", "device_type": "type-VF"}""",
            """{"name": "a1", "resource_class": "CUSTOM_X", "numa_policy": "socket"}""",
            """{"vendor_id": "8086", "address": "0000:0a:00.0", "remote_managed": "true"}""",
            """{"devname": "eth0", "one_time_use": "yes"}""",
            """[{"address": {"bus": "0a$"}}, {}]""",
            "[]"));

    private static readonly Gen<string> _deviceSpec = Gen.OneOf(
        _jsonish,
        Gen.OneOf<string>(
            """{"address": "0000:18:00.0"}""",
            """{"address": "0000:18:00.1", "product_id": "154c"}""",
            """{"devname": "ens3f0np0"}""",
            """{"vendor_id": "15b3", "physical_network": "physnet1"}""",
            """{"address": {"bus": "af"}}""",
            """{"product_id": "154c", "address": "*:18:*.*"}"""));

    [Fact]
    public void Run_AnyOptionValues_GiveAReportNeverAnException() =>
        Gen.Select(_jsonish.Array[0, 4], _jsonish.Array[0, 4], Gen.Bool, Gen.Bool)
            .Sample((specs, aliases, reportInPlacement, pciInPlacement) =>
            {
                var report = ConfigCheck.Run(Parse(specs, aliases, reportInPlacement, pciInPlacement), root: null);

                report.Errors.ShouldAllBe(error => error.Location.Line >= 1);
                report.Aliases.ShouldAllBe(alias => alias.SpecLocations.Count == alias.Alias.Specs.Count);
                report.IsValid.ShouldBe(report.Errors.Count == 0);
            });

    [Fact]
    public void Run_AnySpecsOnAHost_EveryFunctionListedOnceUnderItsFirstMatchingSpec() // 01 DS-5, DS-36
    {
        using var host = FakeSysfsHosts.DualSocketSriov().Build();
        var functions = host.Functions.Select(f => f.Address).Order(StringComparer.Ordinal).ToList();
        Gen.Select(_deviceSpec.Array[0, 4], Gen.Bool).Sample((specs, reportInPlacement) =>
        {
            var report = ConfigCheck.Run(Parse(specs, [], reportInPlacement, pciInPlacement: false), host.Root);

            report.Root.ShouldBe(host.Root);
            if (report.Host is null)
            {
                report.Errors.ShouldNotBeEmpty();
                return;
            }

            var selected = report.DeviceSpecs.SelectMany(spec => spec.Selected!.Select(d => (Spec: spec.Spec, Device: d))).ToList();
            selected.ShouldAllBe(s => s.Device.Spec!.Index == s.Spec.Index);
            selected.Select(s => s.Device.Record.Address).Concat(report.Host.Unselected.Select(d => d.Record.Address))
                .Order(StringComparer.Ordinal).ShouldBe(functions);
            report.Host.Unselected.ShouldAllBe(d => d.NoMatchReason != null);
        }, iter: 200);
    }

    private static NovaConfFile Parse(string[] specs, string[] aliases, bool reportInPlacement, bool pciInPlacement) =>
        NovaConfParser.Parse($"[pci]\nreport_in_placement = {reportInPlacement}\n"
            + string.Concat(specs.Select(spec => $"device_spec = {spec}\n"))
            + string.Concat(aliases.Select(alias => $"alias = {alias}\n"))
            + $"[filter_scheduler]\npci_in_placement = {pciInPlacement}\n", "nova.conf");
}

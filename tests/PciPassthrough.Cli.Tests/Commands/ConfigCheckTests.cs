using CsCheck;
using PciPassthrough.Cli.Commands;
using PciPassthrough.Host.NovaConf;

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

    [Fact]
    public void Run_AnyOptionValues_GiveAReportNeverAnException() =>
        Gen.Select(_jsonish.Array[0, 4], _jsonish.Array[0, 4], Gen.Bool, Gen.Bool)
            .Sample((specs, aliases, reportInPlacement, pciInPlacement) =>
            {
                var text = $"[pci]\nreport_in_placement = {reportInPlacement}\n"
                    + string.Concat(specs.Select(spec => $"device_spec = {spec}\n"))
                    + string.Concat(aliases.Select(alias => $"alias = {alias}\n"))
                    + $"[filter_scheduler]\npci_in_placement = {pciInPlacement}\n";

                var report = ConfigCheck.Run(NovaConfParser.Parse(text, "nova.conf"), root: null);

                report.Errors.ShouldAllBe(error => error.Location.Line >= 1);
                report.Aliases.ShouldAllBe(alias => alias.SpecLocations.Count == alias.Alias.Specs.Count);
                report.IsValid.ShouldBe(report.Errors.Count == 0);
            });
}

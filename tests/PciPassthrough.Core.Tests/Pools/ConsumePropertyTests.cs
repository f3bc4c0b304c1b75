using CsCheck;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Requests;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Devices.PciRequests;

namespace PciPassthrough.Core.Tests.Pools;

/// <summary>Whatever the host and the requests, consume keeps PF ↔ VF exclusivity and never hands a device out twice.</summary>
public sealed class ConsumePropertyTests
{
    private static readonly string[] _specs =
        ["product_id=1515", "dev_type=type-PF", "vendor_id=8086", "dev_type=type-VF", "product_id=1528;dev_type=type-PF"];

    private static readonly Gen<PciRequest> _request =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, _specs.Length - 1], (count, spec) => Alias(count, _specs[spec]));

    private static readonly Gen<(NovaRelease, int[], bool, PciRequest[], PciRequest[])> _case = Gen.Select(
        Gen.Enum<NovaRelease>(), Gen.Int[0, 4].Array[1, 3], Gen.Bool, _request.Array[1, 3], _request.Array[1, 3]);

    private static PciDeviceTracker Host(NovaRelease release, int[] vfsPerPf, bool pfsShareVfProduct)
    {
        var host = new PciHostBuilder(release).WithSpec("""{"vendor_id": "8086"}""");
        for (var pf = 0; pf < vfsPerPf.Length; pf++)
        {
            host.WithPfAndVfs($"0000:8{pf}:00.0", vfsPerPf[pf], pfProduct: pfsShareVfProduct ? "1515" : "1528");
        }

        return host.Build();
    }

    private static IReadOnlyList<TrackedDevice>? TryClaim(PciDeviceTracker tracker, string instance, PciRequest[] requests)
    {
        try
        {
            return [.. tracker.ClaimForInstance(instance, requests).Select(p => p.Device)];
        }
        catch (PciException e) when (e.Error.Kind == PciErrorKinds.PciDeviceRequestFailed)
        {
            return null;
        }
    }

    [Fact]
    public void Consume_NeverSharesADeviceNorTakesAPfWithItsVf() =>
        _case.Sample(c =>
        {
            var (release, vfsPerPf, shareProduct, first, second) = c;
            var tracker = Host(release, vfsPerPf, shareProduct);

            // a claim that breaks exclusivity throws PciDevice*InvalidStatus instead of PciDeviceRequestFailed
            var taken = (TryClaim(tracker, "I1", first) ?? []).Concat(TryClaim(tracker, "I2", second) ?? []).ToList();

            taken.Distinct().Count().ShouldBe(taken.Count);
            taken.Where(d => d.DeviceType == PciDeviceType.PhysicalFunction)
                .ShouldAllBe(pf => !taken.Any(d => d.Parent == pf));
            taken.ShouldAllBe(d => !tracker.Pools.Contains(d));
        });
}

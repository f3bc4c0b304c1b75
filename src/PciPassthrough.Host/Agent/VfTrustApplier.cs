using System.Globalization;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Host.Discovery;

namespace PciPassthrough.Host.Agent;

/// <summary>
/// 07 LV-10 on the compute: keeps the trust setting of the VFs the controller lists (<see cref="VfTrustSetting"/>,
/// from the answer to the agent's <c>PUT /v1/hosts/{name}</c>) on, through their PF, as Nova's VIF plug does with
/// privsep: <c>ip link set &lt;PF netdev&gt; vf &lt;n&gt; trust on</c>, and <c>trust off</c> once a VF it turned on
/// is no longer listed (Nova's unplug). The agent is stateless across restarts, so what one agent process turned on
/// and a restart missed the release of stays on until the VF is listed and released again. Commands go through an
/// <see cref="ICommandRunner"/>; without one (the agent describes a copied tree, not this host) each command is only
/// reported.
/// </summary>
/// <param name="root">The directory holding <c>sys/</c>: the PF's netdev and the VF's number come from its sysfs.</param>
/// <param name="runner">Runs <c>ip</c>; null: report the commands without running them.</param>
public sealed class VfTrustApplier(string root, ICommandRunner? runner)
{
    /// <summary>Exit codes Nova accepts from <c>ip link set … trust</c> (a driver without the setting answers 2).</summary>
    private static readonly int[] _accepted = [0, 2, 254];

    private readonly HashSet<string> _turnedOn = new(StringComparer.Ordinal);

    /// <summary>Turns on the listed VFs not turned on yet and off those no longer listed; one line per command (what
    /// ran, or why it could not).</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(IReadOnlyList<VfTrustSetting> trusted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        var listed = trusted.Select(t => t.Address).ToHashSet(StringComparer.Ordinal);
        var changes = trusted.Where(t => !_turnedOn.Contains(t.Address))
            .Select(t => (t.Address, On: true, For: $"server {t.Server} port {t.Port}"))
            .Concat(_turnedOn.Where(a => !listed.Contains(a)).Order(StringComparer.Ordinal)
                .Select(a => (Address: a, On: false, For: "released")))
            .ToList();
        var lines = new List<string>();
        foreach (var (address, on, why) in changes)
        {
            if (Command(root, address, on, out var problem) is not { } command)
            {
                lines.Add($"VF {address} ({why}): cannot set its trust: {problem}");
                continue;
            }

            var text = string.Join(' ', command);
            if (runner is null)
            {
                lines.Add($"VF {address} ({why}): would run: {text}");
                continue;
            }

            var result = await runner.RunAsync(command, cancellationToken);
            if (!_accepted.Contains(result.ExitCode))
            {
                lines.Add($"VF {address} ({why}): {text} failed (exit {result.ExitCode}): {result.Error.Trim()}");
                continue;
            }

            _ = on ? _turnedOn.Add(address) : _turnedOn.Remove(address);
            lines.Add($"VF {address} ({why}): {text}");
        }

        return lines;
    }

    /// <summary>
    /// <c>ip link set &lt;PF netdev&gt; vf &lt;n&gt; trust on|off</c> for the VF at <paramref name="vfAddress"/>: the
    /// PF is the VF's <c>physfn</c>, its netdev the first entry of the PF's <c>net/</c>, n the number of the PF's
    /// <c>virtfn&lt;n&gt;</c> link to the VF (as Nova finds them). Null, with the reason, when sysfs does not say.
    /// </summary>
    public static IReadOnlyList<string>? Command(string root, string vfAddress, bool trust, out string? problem)
    {
        if (SysfsPaths.PciDevice(root, vfAddress) is not { } vf || !Directory.Exists(vf))
        {
            problem = $"{vfAddress} is not a PCI function under {SysfsPaths.PciDevices(root)}";
            return null;
        }

        var pf = Path.Combine(vf, "physfn");
        var pfNet = Path.Combine(pf, "net");
        var netdev = Directory.Exists(pfNet)
            ? Directory.EnumerateFileSystemEntries(pfNet).Select(Path.GetFileName).Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (netdev is null)
        {
            problem = "its PF has no network interface (physfn/net is missing or empty)";
            return null;
        }

        var number = Directory.EnumerateFileSystemEntries(pf, "virtfn*")
            .Where(link => string.Equals(SysfsPaths.LinkName(link), vfAddress, StringComparison.OrdinalIgnoreCase))
            .Select(link => Path.GetFileName(link)["virtfn".Length..])
            .FirstOrDefault();
        if (number is null || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            problem = $"no virtfn link of its PF ({netdev}) points to it";
            return null;
        }

        problem = null;
        return ["ip", "link", "set", netdev, "vf", index.ToString(CultureInfo.InvariantCulture), "trust", trust ? "on" : "off"];
    }
}

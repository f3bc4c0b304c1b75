using System.Numerics;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Requests;

/// <summary>
/// Turns a server request into <see cref="PciRequest"/>s: one per <c>pci_passthrough:alias</c> item (03 RQ-15..19),
/// then one per SR-IOV port (RQ-25..28). Request ids come from the caller, so simulations stay deterministic.
/// </summary>
public static class PciRequestFactory
{
    private const string PhysicalNetworkKey = "physical_network", RemoteManagedKey = "remote_managed";
    private const string DevTypeKey = "dev_type", TrustedKey = "trusted";

    /// <summary>The alias requests of a flavor's <c>pci_passthrough:alias</c> value, in written order (RQ-4, RQ-17).</summary>
    /// <param name="extraSpecValue">The extra spec's value.</param>
    /// <param name="aliases">The parsed <c>[pci] alias</c> option.</param>
    /// <param name="effectivePolicy">The flavor/image policy (RQ-20); when set it overrides every alias's own (RQ-21).</param>
    /// <param name="newRequestId">Gives each request its id.</param>
    /// <param name="release">Zed lets Python's <c>ValueError</c> escape for a malformed item and accepts negative counts
    /// (scenario-format §6); Latest rejects both as <c>InvalidRequest</c>.</param>
    /// <exception cref="PciException">The first bad item, in order: not <c>name:count</c>, an unknown alias
    /// (<c>PciRequestAliasNotDefined</c>, RQ-16), a count that is not an integer (or negative, Latest).</exception>
    public static IReadOnlyList<PciRequest> FromFlavor(
        string extraSpecValue, PciAliasSet aliases, PciNumaPolicy? effectivePolicy, Func<string> newRequestId,
        NovaRelease release = NovaRelease.Latest)
    {
        ArgumentNullException.ThrowIfNull(extraSpecValue);
        ArgumentNullException.ThrowIfNull(aliases);
        ArgumentNullException.ThrowIfNull(newRequestId);
        var requests = new List<PciRequest>();
        foreach (var item in extraSpecValue.Split(','))
        {
            var parts = item.Split(':');
            if (parts.Length != 2)
            {
                throw release == NovaRelease.Zed
                    ? new PciException(PciErrorKinds.ValueError, parts.Length < 2
                        ? $"not enough values to unpack (expected 2, got {parts.Length}): item '{item}' has no ':<count>'"
                        : $"too many values to unpack (expected 2): item '{item}' has more than one ':'", novaException: false)
                    : Malformed(extraSpecValue, item, "expected <alias name>:<count>");
            }

            var name = parts[0].Trim();
            if (!aliases.TryGet(name, out var alias))
            {
                throw new PciException(PciErrorKinds.PciRequestAliasNotDefined,
                    $"{PciAliasExtraSpec.Key} asks for alias '{name}', which [pci] alias does not define; defined aliases: " +
                    (aliases.Aliases.Count == 0 ? "none" : string.Join(", ", aliases.Aliases.Select(a => a.Name))) + ".");
            }

            if (!IntegerText.TryParse(parts[1], out BigInteger count))
            {
                throw release == NovaRelease.Zed
                    ? new PciException(PciErrorKinds.ValueError,
                        $"invalid literal for int() with base 10: '{parts[1]}' (count of alias '{name}')", novaException: false)
                    : Malformed(extraSpecValue, item, $"the count '{parts[1]}' is not an integer");
            }

            if (count < 0 && release != NovaRelease.Zed)
            {
                // RQ-19: Nova accepts it and corrupts its pool counts; we refuse
                throw Malformed(extraSpecValue, item, $"the count {count} is negative");
            }

            // RQ-18: a repeated alias gives one more request, not a bigger count
            requests.Add(new PciRequest
            {
                Count = count,
                Specs = alias.Specs,
                AliasName = name,
                NumaPolicy = effectivePolicy ?? alias.NumaPolicy,
                RequestId = newRequestId(),
            });
        }

        return requests;
    }

    /// <summary>The request of one port (RQ-25, RQ-26); null when its vnic type needs no PCI device.</summary>
    /// <param name="port">The port.</param>
    /// <param name="effectivePolicy">The flavor/image policy (RQ-20); the port's own policy wins over it (RQ-21).</param>
    /// <param name="newRequestId">Gives the request its id.</param>
    /// <param name="release">How a port policy that is not a policy fails: Zed's <c>ValueError</c>, else
    /// <c>InvalidPCINUMAAffinity</c>.</param>
    public static PciRequest? FromPort(
        RequestedPort port, PciNumaPolicy? effectivePolicy, Func<string> newRequestId, NovaRelease release = NovaRelease.Latest)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(newRequestId);
        if (!port.VnicType.NeedsPciDevice())
        {
            return null;
        }

        var spec = new OrderedDictionary<string, string?>(StringComparer.Ordinal)
        {
            [PhysicalNetworkKey] = port.PhysicalNetwork,
            [RemoteManagedKey] = PythonBool(port.VnicType == VnicType.RemoteManaged),
        };
        if (port.VnicType is VnicType.DirectPhysical or VnicType.Vdpa)
        {
            spec[DevTypeKey] = port.VnicType == VnicType.Vdpa ? Pci.PciDeviceTypes.Vdpa : Pci.PciDeviceTypes.PhysicalFunction;
        }

        if (port.Trusted is not null)
        {
            spec[TrustedKey] = PythonBool(NovaBoolean.ParseLenient(port.Trusted));
        }

        return new PciRequest
        {
            Count = 1,
            Specs = [spec],
            RequesterId = port.Id,
            NumaPolicy = PortPolicy(port, release) ?? effectivePolicy,
            RequestId = newRequestId(),
        };
    }

    private static PciNumaPolicy? PortPolicy(RequestedPort port, NovaRelease release)
    {
        var text = port.NumaAffinityPolicy;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (PciNumaPolicies.TryParse(text, out var policy))
        {
            return policy;
        }

        var valid = string.Join(", ", PciNumaPolicies.Names);
        throw release == NovaRelease.Zed
            ? new PciException(PciErrorKinds.ValueError,
                $"Field value {text} is invalid (numa_affinity_policy of port {port.Id}; valid: {valid})", novaException: false)
            : new PciException(PciErrorKinds.InvalidPCINUMAAffinity,
                $"port {port.Id} has numa_affinity_policy '{text}'; expected one of {valid}.");
    }

    // tags are compared as strings; Nova writes Python's str(bool)
    private static string PythonBool(bool value) => value ? "True" : "False";

    private static PciException Malformed(string value, string item, string why) => new(PciErrorKinds.InvalidRequest,
        $"{PciAliasExtraSpec.Key} '{value}': item '{item}' is not valid: {why}; expected <alias name>:<count> items " +
        "separated by commas with a count >= 0, e.g. 'gpu:1, nic:2'.");
}

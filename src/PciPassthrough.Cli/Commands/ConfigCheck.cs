using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// Runs the checks Nova makes at start on a parsed file. Without a host tree the probe answers "not a PF, no such
/// interface", so PF addresses and devnames are left for the compute to resolve (and said so in the output); with
/// one, they are resolved against it and each spec lists the functions it selects there.
/// </summary>
internal static class ConfigCheck
{
    /// <param name="file">The parsed file.</param>
    /// <param name="root">The directory holding a host's <c>sys/</c>, or null for no host.</param>
    public static ConfigCheckReport Run(NovaConfFile file, string? root)
    {
        var options = NovaConfOptions.Read(file);
        var errors = new List<NovaConfError>(options.Errors);
        var warnings = new List<NovaConfWarning>(options.Warnings);

        var specLines = options.DeviceSpecs.Select(entry => entry.Value).ToList();
        IPciHostProbe probe = root is null ? new PciDeviceListProbe([]) : new SysfsHostProbe(root);
        var specs = DeviceSpecParser.Check(specLines, probe,
            new DeviceSpecOptions { ReportInPlacement = options.ReportInPlacement.Value });
        foreach (var error in specs.Errors)
        {
            var entry = options.DeviceSpecs[error.LineIndex];
            if (root is null && error.Error.Kind == PciErrorKinds.PciDeviceRemoteManagedNotPresent)
            {
                // 01 DS-29: only the compute can tell whether the interface exists
                warnings.Add(new NovaConfWarning(entry.Location, $"{entry.OptionName}: a remote_managed spec by devname "
                    + "is resolved on the compute, which refuses to start (PciDeviceRemoteManagedNotPresent) if it has "
                    + "no such interface"));
            }
            else
            {
                errors.Add(new NovaConfError(entry.Location, error.Error));
            }
        }

        // 03 RQ-11: an invalid alias set stops the API and the compute, so it makes the file invalid
        var aliasLines = options.Aliases.Select(entry => entry.Value).ToList();
        var aliases = PciAliasSet.Check(aliasLines, new PciAliasOptions { PciInPlacement = options.PciInPlacement.Value });
        // A whole-set problem (03 RQ-9) belongs to no line: it is shown at the first alias line.
        errors.AddRange(aliases.Errors.Select(error =>
            new NovaConfError(options.Aliases[error.LineIndex ?? 0].Location, error.Error)));

        var host = root is null || !specs.IsValid ? null : HostInventory.Discover(root, options);
        return new ConfigCheckReport(
            file.File,
            root,
            options,
            [.. specs.Specs.Select(spec => new ConfigCheckReport.CheckedSpec(
                options.DeviceSpecs[spec.ConfigIndex], spec, root is null ? null : Selected(host, spec)))],
            LocateAliases(options.Aliases, aliases),
            [.. errors.OrderBy(error => error.Location.Line)],
            [.. warnings.OrderBy(warning => warning.Location.Line)],
            host is null ? null : new ConfigCheckReport.HostTree(host.Discovery.Warnings,
                [.. host.Devices.Where(device => device.Spec is null)]));
    }

    /// <summary>The functions of the tree that <paramref name="spec"/> governs (the first matching spec wins, 01 DS-5);
    /// none when the configuration is invalid, as a compute that refuses to start selects nothing.</summary>
    private static IReadOnlyList<InventoryDevice> Selected(HostInventory? host, DeviceSpec spec) => host is null ? [] :
        [.. host.Devices.Where(device => device.Spec?.Index == spec.Index)];

    /// <summary>
    /// Pairs each spec of each alias with its line: the lines the set accepted, in order, each named by parsing it
    /// alone (03 RQ-8: an alias's specs are its accepted same-name lines, in line order).
    /// </summary>
    private static List<ConfigCheckReport.CheckedAlias> LocateAliases(
        IReadOnlyList<NovaConfEntry> entries, PciAliasCheckResult aliases)
    {
        var rejected = aliases.Errors.Select(error => error.LineIndex).ToHashSet();
        var acceptedLines = entries.Index()
            .Where(line => !rejected.Contains(line.Index))
            .Select(line => (Entry: line.Item, PciAliasSet.Check([line.Item.Value]).Aliases.Aliases.Single().Name))
            .ToLookup(line => line.Name, line => line.Entry);
        return [.. aliases.Aliases.Aliases.Select(alias => new ConfigCheckReport.CheckedAlias(
            alias, [.. acceptedLines[alias.Name].Select(entry => entry.Location)]))];
    }
}

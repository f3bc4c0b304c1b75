namespace PciPassthrough.Host.NovaConf;

/// <summary>Builds <see cref="NovaConfOptions"/> from a parsed file, collecting every problem on the way.</summary>
internal sealed class NovaConfOptionsReader(NovaConfFile conf)
{
    private const string Default = NovaConfFile.DefaultSection, Pci = "pci";
    private const string FilterScheduler = "filter_scheduler", Scheduler = "scheduler", Compute = "compute";

    /// <summary>The options read here, by the exact names oslo.config looks up.</summary>
    private static readonly Option[] _options =
    [
        new(Default, "host"),
        new(Pci, "device_spec"),
        new(Pci, "passthrough_whitelist", "[pci] device_spec"),
        new(Default, "pci_passthrough_whitelist", "[pci] device_spec"),
        new(Pci, "alias"),
        new(Default, "pci_alias", "[pci] alias"),
        new(Pci, "report_in_placement"),
        new(FilterScheduler, "pci_in_placement"),
        new(FilterScheduler, "pci_weight_multiplier"),
        new(Scheduler, "image_metadata_prefilter"),
        new(Compute, "packing_host_numa_cells_allocation_strategy"),
        new(Default, "cpu_allocation_ratio"),
        new(Default, "ram_allocation_ratio"),
        new(Default, "reserved_host_memory_mb"),
    ];

    private readonly List<NovaConfError> _errors = [.. conf.Errors];
    private readonly List<NovaConfWarning> _warnings = [];

    private delegate string? ValueParser<T>(string text, out T value);

    public NovaConfOptions Read()
    {
        WarnAboutNamesNovaIgnores();
        var host = Single<string?>(Default, "host", null, OsloTypes.TryParseHostDomain);
        var deviceSpecs = Multi((Default, "pci_passthrough_whitelist"), (Pci, "passthrough_whitelist"), (Pci, "device_spec"));
        var aliases = Multi((Default, "pci_alias"), (Pci, "alias"));
        var reportInPlacement = Single<bool>(Pci, "report_in_placement", false, OsloTypes.TryParseBoolean);
        var pciInPlacement = Single<bool>(FilterScheduler, "pci_in_placement", false, OsloTypes.TryParseBoolean);
        var weightMultiplier = Single<double>(FilterScheduler, "pci_weight_multiplier", 1.0,
            OsloTypes.TryParseNonNegativeFloat);
        var imageMetadataPrefilter = Single<bool>(Scheduler, "image_metadata_prefilter", false, OsloTypes.TryParseBoolean);
        var packing = Single<bool>(Compute, "packing_host_numa_cells_allocation_strategy", false,
            OsloTypes.TryParseBoolean);
        var cpuRatio = Single<double>(Default, "cpu_allocation_ratio", 16.0, OsloTypes.TryParseNonNegativeFloat);
        var ramRatio = Single<double>(Default, "ram_allocation_ratio", 1.5, OsloTypes.TryParseNonNegativeFloat);
        var reserved = Single<long>(Default, "reserved_host_memory_mb", 512, OsloTypes.TryParseNonNegativeInteger);
        return new NovaConfOptions
        {
            Host = host,
            DeviceSpecs = deviceSpecs,
            Aliases = aliases,
            ReportInPlacement = reportInPlacement,
            PciInPlacement = pciInPlacement,
            PciWeightMultiplier = weightMultiplier,
            ImageMetadataPrefilter = imageMetadataPrefilter,
            PackingHostNumaCellsAllocationStrategy = packing,
            CpuAllocationRatio = cpuRatio,
            RamAllocationRatio = ramRatio,
            ReservedHostMemoryMb = reserved,
            Errors = [.. _errors.Distinct().OrderBy(error => error.Location.Line)],
            Warnings = [.. _warnings.Distinct().OrderBy(warning => warning.Location.Line)],
        };
    }

    /// <summary>oslo.config matches names exactly, so a near miss is silently ignored by Nova: say so.</summary>
    private void WarnAboutNamesNovaIgnores()
    {
        foreach (var entry in conf.Entries)
        {
            var known = _options.FirstOrDefault(option => option.Group == entry.Group && option.Key == entry.Key);
            var nearMiss = _options.FirstOrDefault(option => option.IsNearMiss(entry));
            if (known?.ReplacedBy is { } current)
            {
                Warn(entry, $"{entry.OptionName} is the deprecated name of {current}; Nova still reads it, "
                    + "putting [DEFAULT] pci_passthrough_whitelist and [pci] passthrough_whitelist values before "
                    + "[pci] device_spec ones (and [DEFAULT] pci_alias before [pci] alias): rename it");
            }
            else if (known is null && nearMiss is not null)
            {
                Warn(entry, $"Nova ignores {entry.OptionName}: did you mean {nearMiss}? Option names must match "
                    + "exactly; section names are lower-cased except DEFAULT, which must be upper-case");
            }
            else if (known is null && entry.Group == Pci)
            {
                Warn(entry, $"Nova has no option {entry.OptionName} and ignores it; the [pci] options are alias, "
                    + "device_spec and report_in_placement");
            }
        }
    }

    private ConfSetting<T> Single<T>(string group, string key, T fallback, ValueParser<T> parse)
    {
        var entries = conf.Get(group, key).ToList();
        if (entries.Count == 0)
        {
            return new ConfSetting<T>(fallback, null);
        }

        var last = entries[^1];
        foreach (var overridden in entries[..^1])
        {
            Warn(overridden, $"{overridden.OptionName} is set again on line {last.Location.Line}; Nova uses the "
                + "last value");
        }

        var errorsBefore = _errors.Count;
        var problem = parse(Substitute(last, []), out var value);
        if (problem is null)
        {
            return new ConfSetting<T>(value, last.Location);
        }

        // A value that could not be substituted is already reported; its type error would only add noise.
        if (_errors.Count == errorsBefore)
        {
            _errors.Add(new NovaConfError(last.Location, NovaConfError.ValueErrorKind, $"{last.OptionName}: {problem}"));
        }

        return new ConfSetting<T>(fallback, null);
    }

    private List<NovaConfEntry> Multi(params (string Group, string Key)[] names) =>
    [
        .. names.SelectMany(name => conf.Get(name.Group, name.Key))
            .Select(entry => entry with { Value = Substitute(entry, []) }),
    ];

    private string Substitute(NovaConfEntry entry, HashSet<NovaConfEntry> visiting)
    {
        visiting.Add(entry);
        var value = OsloTemplate.Substitute(entry.Value, name => Resolve(entry, name, visiting));
        visiting.Remove(entry);
        return value;
    }

    /// <summary>
    /// <c>$group.name</c> names an option of that group; a plain <c>$name</c> one of the same group, else of
    /// DEFAULT. Only options set in this file can be resolved here (a multi-valued one by its last value).
    /// </summary>
    private string? Resolve(NovaConfEntry from, string name, HashSet<NovaConfEntry> visiting)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var target = dot >= 0
            ? conf.Get(name[..dot], name[(dot + 1)..]).LastOrDefault()
            : conf.Get(from.Section, name).LastOrDefault() ?? conf.Get(Default, name).LastOrDefault();
        if (target is null)
        {
            Warn(from, $"'${name}' in {from.OptionName} names no option set in this file: Nova substitutes that "
                + "option's default value, or refuses to start if it has no such option; write $$ for a literal $");
            return null;
        }

        if (visiting.Contains(target))
        {
            _errors.Add(new NovaConfError(from.Location, NovaConfError.SubstitutionErrorKind,
                $"'${name}' in {from.OptionName} refers back to itself through {target.OptionName} (line "
                + $"{target.Location.Line}): substitution never ends and Nova cannot start; write $$ for a literal $"));
            return null;
        }

        return Substitute(target, visiting);
    }

    private void Warn(NovaConfEntry entry, string message) => _warnings.Add(new NovaConfWarning(entry.Location, message));

    private sealed record Option(string Group, string Key, string? ReplacedBy = null)
    {
        /// <summary>Same option once spaces, case and <c>-</c>/<c>_</c> are forgiven.</summary>
        public bool IsNearMiss(NovaConfEntry entry) =>
            Loose(entry.Section) == Loose(Group) && Loose(entry.Key).Replace('-', '_') == Key;

        public override string ToString() => $"[{Group}] {Key}";

        private static string Loose(string name) => PythonText.Strip(name).ToLowerInvariant();
    }
}

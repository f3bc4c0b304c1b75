using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Flavors;

namespace PciPassthrough.Core.Numa;

/// <summary>
/// CPU-set text as Nova's <c>parse_cpu_spec</c> reads it (05 NF-4): comma-separated rules, each a CPU
/// (<c>5</c>), a range (<c>0-3</c>) or an exclusion of either (<c>^2</c>, <c>^4-5</c>); empty rules are skipped;
/// exclusions apply after all inclusions.
/// </summary>
public static class CpuSpec
{
    /// <summary>No single rule may name more CPUs than this (Nova would build the set; we refuse it).</summary>
    public const int MaxRangeLength = 1 << 16;

    /// <summary>The CPUs of <paramref name="text"/>, ascending.</summary>
    /// <exception cref="PciException"><c>Invalid</c>: a rule that is not a CPU, range or exclusion.</exception>
    public static IReadOnlyList<int> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var included = new SortedSet<long>();
        var excluded = new HashSet<long>();
        foreach (var part in text.Split(','))
        {
            var rule = PythonText.Strip(part);
            if (rule.Length == 0)
            {
                continue;
            }

            var dash = rule.IndexOf('-', StringComparison.Ordinal);
            if (dash >= 0)
            {
                var reject = rule.StartsWith('^');
                var start = Cpu(rule[(reject ? 1 : 0)..dash], rule, "range");
                var end = Cpu(rule[(dash + 1)..], rule, "range");
                if (start > end || end - start >= MaxRangeLength)
                {
                    throw Invalid(rule, "range", $"a range must run upwards and name at most {MaxRangeLength} CPUs");
                }

                var cpus = Enumerable.Range(0, (int)(end - start + 1)).Select(offset => start + offset);
                if (reject)
                {
                    excluded.UnionWith(cpus);
                }
                else
                {
                    included.UnionWith(cpus);
                }
            }
            else if (rule[0] == '^')
            {
                excluded.Add(Cpu(rule[1..], rule, "exclusion"));
            }
            else
            {
                included.Add(Cpu(rule, rule, "inclusion"));
            }
        }

        included.ExceptWith(excluded);

        // Python reads any length; beyond 32 bits a CPU is past every guest's last one, which the clamped value still is.
        return [.. included.Select(cpu => (int)Math.Clamp(cpu, int.MinValue, int.MaxValue)).Distinct()];
    }

    /// <summary>The CPUs as Nova writes them back: ascending, runs as ranges (<c>0-3,5</c>).</summary>
    public static string Format(IEnumerable<int> cpus)
    {
        var runs = new List<string>();
        int? first = null, last = null;
        foreach (var cpu in cpus.Distinct().Order())
        {
            if (last is { } previous && cpu == previous + 1)
            {
                last = cpu;
                continue;
            }

            Flush();
            (first, last) = (cpu, cpu);
        }

        Flush();
        return string.Join(',', runs);

        void Flush()
        {
            if (first is { } from && last is { } to)
            {
                runs.Add(from == to ? $"{from}" : $"{from}-{to}");
            }
        }
    }

    private static long Cpu(string text, string rule, string kind) =>
        PythonText.TryParseInt(text, out var value) ? value : throw Invalid(rule, kind, "expected CPU numbers such as 0-3,^2,5");

    private static PciException Invalid(string rule, string kind, string hint) =>
        new(FlavorErrorKinds.Invalid, $"Invalid {kind} expression '{rule}': {hint}.");
}

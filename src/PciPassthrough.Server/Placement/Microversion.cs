using System.Globalization;

namespace PciPassthrough.Server.Placement;

/// <summary>A Placement microversion <c>1.Y</c>, compared numerically (1.10 &gt; 1.9, PA-11).</summary>
public readonly record struct Microversion(int Major, int Minor) : IComparable<Microversion>
{
    /// <summary>PA-14: every version from 1.0 to 1.39 is honoured as asked (Nova pins a different one per call).</summary>
    public static readonly Microversion Min = new(1, 0), Max = new(1, 39);

    public const string Header = "OpenStack-API-Version", Service = "placement";

    public int CompareTo(Microversion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(Microversion left, Microversion right) => left.CompareTo(right) < 0;
    public static bool operator >(Microversion left, Microversion right) => left.CompareTo(right) > 0;
    public static bool operator <=(Microversion left, Microversion right) => left.CompareTo(right) <= 0;
    public static bool operator >=(Microversion left, Microversion right) => left.CompareTo(right) >= 0;

    /// <summary>True when this version is at least <c>1.<paramref name="minor"/></c>.</summary>
    public bool AtLeast(int minor) => this >= new Microversion(1, minor);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    /// <summary>PA-10: the last <c>placement</c> entry of a comma-separated header; absent → 1.0; <c>latest</c> →
    /// <see cref="Max"/>. Null when the value is not <c>X.Y</c> (PA-11: 400).</summary>
    public static Microversion? FromHeader(string? header)
    {
        var requested = Requested(header);
        if (requested is null)
        {
            return Min;
        }

        if (requested.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            return Max;
        }

        var numbers = requested.Split('.');
        return numbers.Length == 2 && TryNumber(numbers[0], out var major) && TryNumber(numbers[1], out var minor)
            ? new Microversion(major, minor)
            : null;
    }

    /// <summary>The version text of the header's last <c>placement</c> entry, null when there is none.</summary>
    public static string? Requested(string? header)
    {
        string? requested = null;
        foreach (var entry in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0].Equals(Service, StringComparison.OrdinalIgnoreCase))
            {
                requested = parts[1];
            }
        }

        return requested;
    }

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}

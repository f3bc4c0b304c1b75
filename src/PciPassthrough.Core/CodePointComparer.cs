namespace PciPassthrough.Core;

/// <summary>
/// Orders strings by Unicode code point, as Python's <c>sorted</c> does (scenario-format "ordinal order").
/// <see cref="StringComparer.Ordinal"/> compares UTF-16 code units, which puts characters beyond U+FFFF (surrogate
/// pairs, e.g. emoji) before U+E000–U+FFFF (e.g. full-width letters); everywhere else the two agree.
/// </summary>
public sealed class CodePointComparer : IComparer<string>
{
    public static readonly CodePointComparer Instance = new();

    private CodePointComparer()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var i = x.AsSpan().CommonPrefixLength(y);
        return i == x.Length || i == y.Length ? x.Length.CompareTo(y.Length) : CodePointAt(x, i).CompareTo(CodePointAt(y, i));
    }

    /// <summary>The code point the unit at <paramref name="i"/> belongs to (a pair may start one unit earlier).</summary>
    private static int CodePointAt(string text, int i) =>
        char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1]) ? char.ConvertToUtf32(text[i - 1], text[i])
        : char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? char.ConvertToUtf32(text[i], text[i + 1])
        : text[i];
}

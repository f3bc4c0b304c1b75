using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace PciPassthrough.Host.NovaConf;

/// <summary>
/// The oslo.config option types the PCI options use. Each returns null when the text is valid, else a message
/// naming what would be valid.
/// </summary>
internal static partial class OsloTypes
{
    private static readonly string[] _trueWords = ["true", "1", "on", "yes"];
    private static readonly string[] _falseWords = ["false", "0", "off", "no"];

    /// <summary>oslo's <c>Boolean</c>: four words each way, any case, nothing else (stricter than Nova's own
    /// <c>strutils.bool_from_string</c>, which also takes <c>t</c>/<c>y</c>).</summary>
    public static string? TryParseBoolean(string text, out bool value)
    {
        var word = text.ToLowerInvariant();
        value = _trueWords.Contains(word);
        return value || _falseWords.Contains(word) ? null
            : $"'{text}' is not a boolean: expected true/false, yes/no, on/off or 1/0 (any case)";
    }

    /// <summary>oslo's <c>Float(min=0)</c>: Python's <c>float()</c> syntax, at least 0.</summary>
    public static string? TryParseNonNegativeFloat(string text, out double value)
    {
        var number = PythonText.Strip(text).ToLowerInvariant();
        value = 0;
        if (number.Length == 0)
        {
            return "the value is empty: expected a number >= 0 (oslo.config reads an empty number as None, "
                + "which Nova cannot use)";
        }

        var special = (number is ['+' or '-', .. var unsigned] ? unsigned : number) switch
        {
            "inf" or "infinity" => double.PositiveInfinity,
            "nan" => double.NaN,
            _ => (double?)null,
        };
        if (special is { } word)
        {
            value = number.StartsWith('-') ? -word : word;
        }
        else if (!PythonFloat().IsMatch(number) || !double.TryParse(number.Replace("_", "", StringComparison.Ordinal),
            NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return $"'{text}' is not a number: expected a decimal number >= 0, e.g. 1.0 or 2.5";
        }

        return value < 0 ? $"'{text}' is negative: expected a number >= 0" : null;
    }

    /// <summary>oslo's <c>Integer(min=0)</c>: Python's <c>int()</c> syntax (surrounding spaces, a sign, digits
    /// grouped by single underscores), at least 0.</summary>
    public static string? TryParseNonNegativeInteger(string text, out long value)
    {
        var number = PythonText.Strip(text);
        value = 0;
        if (!PythonInteger().IsMatch(number) || !long.TryParse(number.Replace("_", "", StringComparison.Ordinal),
            NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return $"'{text}' is not an integer: expected a whole number >= 0, e.g. 512";
        }

        return value < 0 ? $"'{text}' is negative: expected a whole number >= 0" : null;
    }

    /// <summary>oslo's <c>HostDomain</c>: an IPv4 or IPv6 address, or a host name whose labels are letters,
    /// digits, <c>-</c> and <c>_</c> (1–63 each, not starting or ending with <c>-</c>, 253 in all), the last
    /// label not all digits. A trailing dot is dropped.</summary>
    public static string? TryParseHostDomain(string text, out string? value)
    {
        value = text;
        if (IsIpAddress(text))
        {
            return null;
        }

        var name = text.EndsWith('.') ? text[..^1] : text;
        var labels = name.Split('.');
        if (text.Length > 0 && text.Length <= 253 && HasLetterOrHyphen().IsMatch(labels[^1])
            && labels.All(label => HostLabel().IsMatch(label)))
        {
            value = name;
            return null;
        }

        return $"'{text}' is not a valid host address: expected an IP address or a host name made of labels of "
            + "letters, digits, '-' and '_' separated by dots (each 1-63 characters, not starting or ending with "
            + "'-', the last one not all digits), e.g. compute-01.example.org";
    }

    private static bool IsIpAddress(string text) =>
        Ipv4().IsMatch(text)
        || (text.Contains(':', StringComparison.Ordinal) && !text.Contains('%', StringComparison.Ordinal)
            && !text.Contains('[', StringComparison.Ordinal)
            && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6);

    /// <summary>Python's float literal (lower-cased): digits may be grouped by single underscores.</summary>
    [GeneratedRegex(@"^[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:e[+-]?[0-9](?:_?[0-9])*)?$")]
    private static partial Regex PythonFloat();

    [GeneratedRegex("^[+-]?[0-9](?:_?[0-9])*$")]
    private static partial Regex PythonInteger();

    /// <summary>inet_pton's IPv4 form: four decimal octets, no leading zeros.</summary>
    [GeneratedRegex(@"^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$")]
    private static partial Regex Ipv4();

    [GeneratedRegex(@"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")]
    private static partial Regex HostLabel();

    [GeneratedRegex("[a-zA-Z-]")]
    private static partial Regex HasLetterOrHyphen();
}

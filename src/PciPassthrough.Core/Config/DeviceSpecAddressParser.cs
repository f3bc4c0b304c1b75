using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Core.Config;

/// <summary>Parses the two written forms of a <c>device_spec</c> address (01 §3, §4).</summary>
internal static class DeviceSpecAddressParser
{
    public const string RegexAny = ".*";

    private static readonly string[] _regexKeys = ["domain", "bus", "slot", "function"];

    /// <summary>The glob form, 01 DS-11 step by step; the first failing check is returned.</summary>
    public static PciError? TryParseGlob(string text, NovaRelease release, out PciAddressFields fields)
    {
        fields = new PciAddressFields(HexField.Any, HexField.Any, HexField.Any, HexField.Any);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var (dbs, function) = dot < 0 ? (text, "") : (text[..dot], text[(dot + 1)..]);
        if (function.Length > 0)
        {
            // DS-11 step 3 comes first: "1:2:3:4.x" fails on the function, not on the part count
            var error = HexField.TryNormalize("func", function.Trim(), PciAddress.MaxFunction, 1, release, out function);
            if (error is not null)
            {
                return error;
            }

            fields = fields with { Function = function };
        }

        if (dbs.Length == 0)
        {
            return null;
        }

        var parts = dbs.Split(':');
        if (parts.Length > 3)
        {
            return new PciError(PciErrorKinds.PciDeviceWrongAddressFormat,
                $"address '{text}' has {parts.Length} ':'-separated parts before the '.'; expected at most 3 " +
                "(domain:bus:slot, bus:slot or slot), e.g. 0000:0a:00.1 or *:0a:00.*.");
        }

        var padded = Enumerable.Repeat(HexField.Any, 3 - parts.Length)
            .Concat(parts.Select(p => p.Trim() is { Length: > 0 } trimmed ? trimmed : HexField.Any))
            .ToArray();
        var rangeError = HexField.TryNormalize("domain", padded[0], PciAddress.MaxDomain, 4, release, out padded[0])
            ?? HexField.TryNormalize("bus", padded[1], PciAddress.MaxBus, 2, release, out padded[1])
            ?? HexField.TryNormalize("slot", padded[2], PciAddress.MaxSlot, 2, release, out padded[2]);
        if (rangeError is null)
        {
            fields = fields with { Domain = padded[0], Bus = padded[1], Slot = padded[2] };
        }

        return rangeError;
    }

    /// <summary>
    /// The regex form: missing keys are <c>.*</c> and other keys ignored (01 DS-15), no range check (DS-17). A value
    /// that is not a string or that Python's <c>re</c> does not compile is <c>PciDeviceWrongAddressFormat</c> (DS-16); under
    /// Zed a non-string value is the <c>TypeError</c> Nova lets escape (scenario-format §6), and so is the
    /// <c>OverflowError</c> of a repetition count past Python's limit.
    /// </summary>
    public static PciError? TryParseRegex(JsonObject address, NovaRelease release, out string[] texts, out Regex[] regexes)
    {
        texts = new string[_regexKeys.Length];
        regexes = new Regex[_regexKeys.Length];
        for (var i = 0; i < _regexKeys.Length; i++)
        {
            var key = _regexKeys[i];
            if (!address.TryGetPropertyValue(key, out var value))
            {
                texts[i] = RegexAny;
            }
            else if (NovaJson.IsString(value, out var text))
            {
                texts[i] = text;
            }
            else
            {
                return release == NovaRelease.Zed
                    ? new PciError(PciErrorKinds.TypeError,
                        $"address {key} ({NovaJson.ToText(value)}): first argument must be string or compiled pattern",
                        NovaException: false)
                    : WrongFormat(address, $"{key} is {NovaJson.ToText(value)}; expected a regular expression string");
            }

            try
            {
                regexes[i] = new Regex(PythonRegex.Translate(texts[i]), RegexOptions.CultureInvariant);
            }
            catch (PythonRegex.Refusal e) when (e.Overflow)
            {
                return new PciError(PciErrorKinds.OverflowError, $"address {key} '{texts[i]}': {e.Message}", NovaException: false);
            }
            catch (Exception e) when (e is PythonRegex.Refusal or ArgumentException)
            {
                return WrongFormat(address, $"{key} '{texts[i]}' is not a valid regular expression ({e.Message})");
            }
        }

        return null;
    }

    public static PciError WrongFormat(JsonNode? address, string why) => new(PciErrorKinds.PciDeviceWrongAddressFormat,
        $"address {NovaJson.ToText(address)} is not valid: {why}. Expected a string such as \"0000:0a:00.*\" or an " +
        "object of regular expressions with keys domain, bus, slot, function.");

    /// <summary>The address with the PF test of 01 DS-20 done once, at parse time (DS-22).</summary>
    public static DeviceSpecAddress Build(
        DeviceSpecAddressKind kind, string domain, string bus, string slot, string function, IPciHostProbe probe)
    {
        var address = new DeviceSpecAddress(kind, domain, bus, slot, function, IsPhysicalFunction: false);
        return address.IsSingleAddress && probe.IsPhysicalFunction(address.ToString())
            ? address with { IsPhysicalFunction = true }
            : address;
    }
}

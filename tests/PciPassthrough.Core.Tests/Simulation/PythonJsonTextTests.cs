using System.Text.Json;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Core.Tests.Simulation;

public sealed class PythonJsonTextTests
{
    [Theory]
    [InlineData("""{"vendor_id":"8086"}""", """{"vendor_id": "8086"}""")]
    [InlineData("""{"a":[1,2,{"b":null}],"c":true}""", """{"a": [1, 2, {"b": null}], "c": true}""")]
    [InlineData("""[{"x":"y"},{"z":false}]""", """[{"x": "y"}, {"z": false}]""")]
    [InlineData("""{"b":1,"a":2}""", """{"b": 1, "a": 2}""")] // keys in input order
    [InlineData("""{"a":1,"b":2,"a":3}""", """{"a": 3, "b": 2}""")] // a repeated key: first position, last value
    [InlineData("2", "2")]
    [InlineData("true", "true")]
    [InlineData("null", "null")]
    public void Dumps_UsesPythonSeparators(string json, string expected) => Dump(json).ShouldBe(expected); // §2.2

    [Theory]
    [InlineData("\"caf\u00e9\"", "\"caf\\u00e9\"")]
    [InlineData("\"\U0001F600\"", "\"\\ud83d\\ude00\"")]
    [InlineData("\"a\\\"b\\\\c\\n\\t\"", "\"a\\\"b\\\\c\\n\\t\"")]
    [InlineData("\"\\u0001\\u007f\"", "\"\\u0001\\u007f\"")]
    public void Dumps_EscapesLikeEnsureAscii(string json, string expected) => Dump(json).ShouldBe(expected); // §2.2

    [Theory]
    [InlineData("1.0", "1.0")]
    [InlineData("1.50", "1.5")]
    [InlineData("1E2", "100.0")]
    [InlineData("0.0001", "0.0001")]
    [InlineData("0.00001", "1e-05")]
    [InlineData("1e16", "1e+16")]
    [InlineData("1e15", "1000000000000000.0")]
    [InlineData("123456789.125", "123456789.125")]
    [InlineData("-2.5e-7", "-2.5e-07")]
    [InlineData("0.1", "0.1")]
    [InlineData("-0.0", "-0.0")]
    [InlineData("12345678901234567890", "12345678901234567890")]
    public void Dumps_FloatsAsPythonRepr(string json, string expected) => Dump(json).ShouldBe(expected);

    private static string Dump(string json)
    {
        using var document = JsonDocument.Parse(json);
        return PythonJsonText.Dumps(document.RootElement);
    }
}

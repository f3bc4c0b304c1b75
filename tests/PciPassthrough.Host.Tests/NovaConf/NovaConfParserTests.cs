using CsCheck;
using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Host.Tests.NovaConf;

public sealed class NovaConfParserTests
{
    private static NovaConfFile Parse(string text) => NovaConfParser.Parse(text, "nova.conf");

    private static (string Group, string Key, string Value, int Line)[] Entries(string text) =>
        [.. Parse(text).Entries.Select(e => (e.Group, e.Key, e.Value, e.Location.Line))];

    [Fact]
    public void Parse_SectionsAndAssignments_KeepSectionKeyValueAndLine()
    {
        var conf = Parse("[DEFAULT]\nhost = cn1\n\n[pci]\nreport_in_placement: true\n");

        conf.Errors.ShouldBeEmpty();
        conf.Entries.ShouldBe([
            new NovaConfEntry("DEFAULT", "host", "cn1", new ConfLocation("nova.conf", 2)),
            new NovaConfEntry("pci", "report_in_placement", "true", new ConfLocation("nova.conf", 5)),
        ]);
    }

    [Fact]
    public void Parse_RepeatedKey_KeepsEveryValueInFileOrder() =>
        Entries("[pci]\nalias = a\ndevice_spec = 1\nalias = b\n[filter_scheduler]\nx = y\n[PCI]\nalias = c\n")
            .Where(e => e.Key == "alias").ShouldBe([("pci", "alias", "a", 2), ("pci", "alias", "b", 4), ("pci", "alias", "c", 8)]);

    [Fact]
    public void Parse_IndentedLines_ContinueTheValueJoinedByNewline() =>
        Entries("[pci]\ndevice_spec = {\"vendor_id\": \"8086\",\n    \"product_id\": \"154c\"}\n\t  # still the value  \nalias = a\n")
            .ShouldBe([
                ("pci", "device_spec", "{\"vendor_id\": \"8086\",\n\"product_id\": \"154c\"}\n# still the value", 2),
                ("pci", "alias", "a", 5),
            ]);

    [Theory]
    [InlineData("[pci]\nalias = a\n\n  b\n", 4)] // a blank line ends the value
    [InlineData("[pci]\nalias = a\n# comment\n  b\n", 4)] // so does a comment
    [InlineData("[pci]\n  alias = a\n", 2)] // and a section header
    public void Parse_IndentedLineWithNothingToContinue_IsAnError(string text, int line)
    {
        var error = Parse(text).Errors.ShouldHaveSingleItem();

        error.Location.Line.ShouldBe(line);
        error.Error.Kind.ShouldBe("ConfigFileParseError");
        error.Error.Message.ShouldStartWith("indented line ");
    }

    [Theory]
    [InlineData("a = b: c", "a", "b: c")] // '=' first: the key ends there
    [InlineData("a: b = c", "a", "b = c")] // ':' first
    [InlineData("alias = {\"name\": \"a1\"}", "alias", "{\"name\": \"a1\"}")]
    [InlineData("  x  =   y   ", "x", "y")] // not indented: the line starts with the key after the header
    [InlineData("a =", "a", "")]
    [InlineData("a = b # not a comment", "a", "b # not a comment")]
    [InlineData("a = 'x'", "a", "x")]
    [InlineData("a = \"x\"", "a", "x")]
    [InlineData("a = '{\"name\": \"a1\"}'", "a", "{\"name\": \"a1\"}")]
    [InlineData("a = \"x'", "a", "\"x'")] // quotes must match
    [InlineData("a = \"", "a", "")] // a lone quote is both ends
    [InlineData("a = ''x''", "a", "'x'")] // one pair only
    [InlineData("device spec = x", "device spec", "x")]
    public void Parse_Assignment_SplitsAtFirstSeparatorTrimsAndUnquotes(string line, string key, string value)
    {
        var text = "[pci]\n" + (line.StartsWith(' ') ? line.TrimStart() : line);

        Entries(text).ShouldBe([("pci", key, value, 2)]);
    }

    [Theory]
    [InlineData("PCI", "pci")]
    [InlineData("Filter_Scheduler", "filter_scheduler")]
    [InlineData("DEFAULT", "DEFAULT")]
    [InlineData("default", "default")] // not the DEFAULT section: only the upper-case name is
    [InlineData(" pci ", " pci ")] // names are not trimmed
    public void Parse_SectionName_IsLowerCasedExceptDefault(string section, string group) =>
        Entries($"[{section}]\nk = v\n").ShouldBe([(group, "k", "v", 2)]);

    [Theory]
    [InlineData("# a comment")]
    [InlineData("; a comment")]
    [InlineData("#")]
    [InlineData("   ")]
    public void Parse_CommentsAndBlankLines_AreNotEntries(string line) =>
        Entries($"[pci]\n{line}\nk = v\n").ShouldBe([("pci", "k", "v", 3)]);

    [Theory]
    [InlineData("[pci]\r\nk = v\r\n\r\nj = w")]
    [InlineData("[pci]\rk = v\r\rj = w")]
    [InlineData("[pci]\nk = v\n\nj = w")]
    public void Parse_AnyLineEnding_CountsLinesAsPythonDoes(string text) =>
        Entries(text).ShouldBe([("pci", "k", "v", 2), ("pci", "j", "w", 4)]);

    [Theory]
    [InlineData("[pci]\nthis is not an option\n", 2,
        "nova.conf:2: ConfigFileParseError: 'this is not an option' is not an option, a section header or a comment: "
        + "expected 'key = value' (or 'key: value'), '[section]', or a line starting with # or ;")]
    [InlineData("[pci]\n= {}\n", 2, "nova.conf:2: ConfigFileParseError: '= {}' has no option name before '='")]
    [InlineData("[pci\nalias = a\n", 1, "nova.conf:1: ConfigFileParseError: section header '[pci' must end with ']'")]
    [InlineData("[pci] # PCI\n", 1,
        "nova.conf:1: ConfigFileParseError: section header '[pci] # PCI' must end with ']'")]
    [InlineData("[]\n", 1, "nova.conf:1: ConfigFileParseError: section header '[]' has no name")]
    [InlineData("# top\nhost = cn1\n", 2,
        "nova.conf:2: ConfigFileParseError: option 'host' comes before any [section] header: put it under the "
        + "section it belongs to, e.g. [DEFAULT] or [pci]")]
    [InlineData("\uFEFF[DEFAULT]\nhost = cn1\n", 1,
        "nova.conf:1: ConfigFileParseError: the file starts with a UTF-8 byte-order mark, which oslo.config does "
        + "not skip: Nova reads it as part of the first line; save the file without a BOM")]
    public void Parse_BadLine_IsAnErrorNamingFileLineAndWhatIsValid(string text, int line, string expected)
    {
        var error = Parse(text).Errors.ShouldHaveSingleItem();

        error.Location.Line.ShouldBe(line);
        error.ToString().ShouldBe(expected);
    }

    [Fact]
    public void Parse_SeveralBadLines_ReportsEveryOneAndKeepsTheGoodEntries()
    {
        var conf = Parse("[pci]\nbad line\nalias = a\n= x\n[broken\nlost = 1\n[pci]\nalias = b\n");

        conf.Errors.Select(e => e.Location.Line).ShouldBe([2, 4, 5]);
        conf.Entries.Select(e => e.Value).ShouldBe(["a", "b"]);
    }

    [Fact]
    public void Get_FindsValuesByNormalisedSectionAndExactKey()
    {
        var conf = Parse("[PCI]\nalias = a\nAlias = b\n[pci]\nalias = c\n");

        conf.Get("pci", "alias").Select(e => e.Value).ShouldBe(["a", "c"]);
        conf.Get("PCI", "alias").Select(e => e.Value).ShouldBe(["a", "c"]);
    }

    [Fact]
    public void Parse_AnyText_GivesEntriesAndErrorsWithinTheFileNeverAnException() =>
        Gen.Char["[]=:#; \t\r\n\"'$\\ab\uFEFF{}"].Array[0, 80].Select(chars => new string(chars))
            .Sample(text =>
            {
                var conf = Parse(text);
                var lines = Math.Max(1, PythonLineCount(text));
                conf.Entries.ShouldAllBe(e => e.Location.Line >= 1 && e.Location.Line <= lines && e.Key.Length > 0);
                conf.Errors.ShouldAllBe(e => e.Location.Line >= 1 && e.Location.Line <= lines);
            });

    [Fact]
    public void Parse_AnyUnicodeText_NeverThrows() =>
        Gen.String.Sample(text => Parse(text).ShouldNotBeNull());

    [Fact]
    public void Parse_RenderedAssignments_ReadBackAsWritten() =>
        Gen.Select(Gen.String["abcdefgh_"].Where(s => s.Length > 0), Gen.String["abc{}\":, =$[]#;'"], Gen.Bool)
            .Array[1, 10]
            .Sample(assignments =>
            {
                var text = "[pci]\n" + string.Concat(assignments.Select(a =>
                    $"{a.Item1} {(a.Item3 ? "=" : ":")} {Quote(a.Item2)}\n"));
                var conf = Parse(text);
                conf.Errors.ShouldBeEmpty();
                conf.Entries.Select(e => (e.Key, e.Value)).ShouldBe(assignments.Select(a => (a.Item1, a.Item2.Trim())));
            });

    /// <summary>Quoted so that leading/trailing quotes and spaces of the value survive oslo's unquoting.</summary>
    private static string Quote(string value) => value.Trim() is var trimmed && trimmed.Length > 0
        && trimmed[0] is '"' or '\'' ? $"'{trimmed}'" : value;

    private static int PythonLineCount(string text) => text.Replace("\r\n", "\n").Split('\n', '\r').Length;
}

namespace PciPassthrough.Host.NovaConf;

/// <summary>
/// Reads INI text the way oslo.config's parser does, so a file means here what it means to Nova:
/// <list type="bullet">
/// <item><c>[section]</c> headers; an assignment before the first header is an error;</item>
/// <item><c>key = value</c> or <c>key: value</c>, split at whichever of <c>=</c> and <c>:</c> comes first; key and
/// value are trimmed and one pair of matching outer quotes (<c>'…'</c> or <c>"…"</c>) is removed from the value;</item>
/// <item>a line starting with a space or a tab continues the value above it (joined with <c>\n</c>); a blank line,
/// a comment or a new key ends the value;</item>
/// <item>a comment is a line whose first character is <c>#</c> or <c>;</c> — there are no end-of-line comments,
/// and an indented <c>#</c> line is a continuation, not a comment;</item>
/// <item>a key may repeat: every value is kept in file order (<c>device_spec</c>, <c>alias</c>).</item>
/// </list>
/// oslo.config stops at the first bad line; this parser reports every bad line and keeps reading.
/// </summary>
public static class NovaConfParser
{
    private const char ByteOrderMark = '\uFEFF';

    public static NovaConfFile Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        var reader = new Reader(file);
        var lineNumber = 0;
        foreach (var line in PythonText.Lines(text))
        {
            reader.Read(++lineNumber, line);
        }

        reader.Flush();
        return new NovaConfFile(file, reader.Entries, reader.Errors);
    }

    private sealed class Reader(string file)
    {
        private string? _section;
        private bool _inBrokenSection;
        private (string Key, int Line, List<string> Lines)? _pending;

        public List<NovaConfEntry> Entries { get; } = [];

        public List<NovaConfError> Errors { get; } = [];

        public void Read(int lineNumber, string rawLine)
        {
            var line = PythonText.StripEnd(rawLine);
            if (lineNumber == 1 && line.StartsWith(ByteOrderMark))
            {
                Error(lineNumber, "the file starts with a UTF-8 byte-order mark, which oslo.config does not skip: "
                    + "Nova reads it as part of the first line; save the file without a BOM");
                line = line[1..];
            }

            if (line.Length == 0)
            {
                Flush();
                return;
            }

            if (line[0] is ' ' or '\t')
            {
                Continue(lineNumber, line);
                return;
            }

            Flush();
            if (line[0] == '[')
            {
                StartSection(lineNumber, line);
            }
            else if (line[0] is not ('#' or ';'))
            {
                StartAssignment(lineNumber, line);
            }
        }

        public void Flush()
        {
            if (_pending is not var (key, line, lines))
            {
                return;
            }

            _pending = null;
            if (_section is not null)
            {
                Entries.Add(new NovaConfEntry(_section, key, string.Join('\n', lines), new ConfLocation(file, line)));
            }
            else if (!_inBrokenSection)
            {
                Error(line, $"option '{key}' comes before any [section] header: put it under the section it "
                    + $"belongs to, e.g. [{NovaConfFile.DefaultSection}] or [pci]");
            }
        }

        private void Continue(int lineNumber, string line)
        {
            if (_pending is var (_, _, lines))
            {
                lines.Add(PythonText.StripStart(line));
            }
            else if (!_inBrokenSection)
            {
                Error(lineNumber, $"indented line '{PythonText.StripStart(line)}' continues nothing: an indented line "
                    + "continues the value of the option above it, and there is none (a section header, comment or "
                    + "blank line ends a value); remove the indentation");
            }
        }

        private void StartSection(int lineNumber, string line)
        {
            _section = null;
            _inBrokenSection = true;
            if (!line.EndsWith(']'))
            {
                Error(lineNumber, $"section header '{line}' must end with ']'");
            }
            else if (line.Length <= 2)
            {
                Error(lineNumber, $"section header '{line}' has no name");
            }
            else
            {
                _section = line[1..^1];
                _inBrokenSection = false;
            }
        }

        private void StartAssignment(int lineNumber, string line)
        {
            var equal = line.IndexOf('=', StringComparison.Ordinal);
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (equal < 0 && colon < 0)
            {
                Error(lineNumber, $"'{line}' is not an option, a section header or a comment: expected "
                    + "'key = value' (or 'key: value'), '[section]', or a line starting with # or ;");
                return;
            }

            var at = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
            var key = PythonText.Strip(line[..at]);
            if (key.Length == 0)
            {
                Error(lineNumber, $"'{line}' has no option name before '{line[at]}'");
                return;
            }

            _pending = (key, lineNumber, [Unquote(PythonText.Strip(line[(at + 1)..]))]);
        }

        /// <summary>oslo.config drops one pair of matching outer quotes; a lone quote character becomes empty.</summary>
        private static string Unquote(string value) => value switch
        {
            ['"' or '\''] => "",
            [var first, .., var last] when first is '"' or '\'' && first == last => value[1..^1],
            _ => value,
        };

        private void Error(int lineNumber, string message) =>
            Errors.Add(new NovaConfError(new ConfLocation(file, lineNumber), NovaConfError.ParseErrorKind, message));
    }
}

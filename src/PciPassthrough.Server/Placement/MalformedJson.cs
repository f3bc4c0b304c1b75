namespace PciPassthrough.Server.Placement;

/// <summary>Why and where a body is not JSON, in the words of Python's json module, which Placement quotes after
/// "Malformed JSON: " (<c>Expecting ',' delimiter: line 1 column 17 (char 16)</c>): the text is scanned as that parser
/// scans it, up to its first error. Only asked once System.Text.Json has refused the body.</summary>
public static class MalformedJson
{
    /// <summary>Deeper than this, Python would fail on its recursion limit; we keep System.Text.Json's message.</summary>
    private const int MaxDepth = 900;

    /// <summary>Python's message for <paramref name="text"/>, or null when Python accepts it (<c>NaN</c>,
    /// <c>Infinity</c>, nesting System.Text.Json refuses).</summary>
    public static string? Describe(string text)
    {
        var scanner = new Scanner(text);
        try
        {
            var end = scanner.SkipSpace(scanner.Value(scanner.SkipSpace(0), 0));
            return end == text.Length ? null : throw new SyntaxError("Extra data", end);
        }
        catch (SyntaxError e)
        {
            var line = text.AsSpan(0, e.Position).Count('\n') + 1;
            var column = e.Position - (e.Position == 0 ? -1 : text.LastIndexOf('\n', e.Position - 1));
            return $"{e.Reason}: line {line} column {column} (char {e.Position})";
        }
        catch (TooDeepException)
        {
            return null;
        }
    }

    private sealed class SyntaxError(string reason, int position) : Exception(reason)
    {
        public string Reason { get; } = reason;
        public int Position { get; } = position;
    }

    private sealed class TooDeepException : Exception;

    private sealed class Scanner(string s)
    {
        public int SkipSpace(int i)
        {
            while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\r')
            {
                i++;
            }

            return i;
        }

        /// <summary>The end of the value starting at <paramref name="i"/>.</summary>
        public int Value(int i, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new TooDeepException();
            }

            var end = i >= s.Length ? i : s[i] switch
            {
                '"' => String(i + 1),
                '{' => Object(i + 1, depth + 1),
                '[' => Array(i + 1, depth + 1),
                _ => Literal(i, "null") ?? Literal(i, "true") ?? Literal(i, "false") ?? Literal(i, "NaN") ?? Literal(i, "Infinity")
                    ?? Literal(i, "-Infinity") ?? Number(i),
            };
            return end > i ? end : throw new SyntaxError("Expecting value", i);
        }

        private int? Literal(int i, string word) => string.CompareOrdinal(s, i, word, 0, word.Length) == 0 ? i + word.Length : null;

        /// <summary><c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?</c>; <paramref name="i"/> itself when none.</summary>
        private int Number(int i)
        {
            var j = i < s.Length && s[i] == '-' ? i + 1 : i;
            if (j < s.Length && s[j] == '0')
            {
                j++;
            }
            else if (j < s.Length && char.IsAsciiDigit(s[j]) && s[j] != '0')
            {
                j = Digits(j);
            }
            else
            {
                return i;
            }

            if (j + 1 < s.Length && s[j] == '.' && char.IsAsciiDigit(s[j + 1]))
            {
                j = Digits(j + 1);
            }

            if (j < s.Length && s[j] is 'e' or 'E')
            {
                var k = j + 1 < s.Length && s[j + 1] is '+' or '-' ? j + 2 : j + 1;
                j = Digits(k) > k ? Digits(k) : j;
            }

            return j;
        }

        private int Digits(int i)
        {
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            return i;
        }

        /// <summary>A string whose opening quote is just before <paramref name="i"/>; the end is after its closing one.</summary>
        private int String(int i)
        {
            var begin = i - 1;
            while (true)
            {
                while (i < s.Length && s[i] is not ('"' or '\\'))
                {
                    if (s[i] < 0x20)
                    {
                        throw new SyntaxError("Invalid control character at", i);
                    }

                    i++;
                }

                if (i >= s.Length || (s[i] == '\\' && i + 1 >= s.Length))
                {
                    throw new SyntaxError("Unterminated string starting at", begin);
                }

                if (s[i] == '"')
                {
                    return i + 1;
                }

                i = s[i + 1] == 'u' ? UnicodeEscape(i + 1) : s[i + 1] is '"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't'
                    ? i + 2
                    : throw new SyntaxError("Invalid \\escape", i);
            }
        }

        /// <summary>Four hex digits after the <c>u</c> at <paramref name="u"/>, and something after them.</summary>
        private int UnicodeEscape(int u) =>
            u + 5 < s.Length && !s.AsSpan(u + 1, 4).ContainsAnyExcept("0123456789abcdefABCDEF")
                ? u + 5
                : throw new SyntaxError("Invalid \\uXXXX escape", u);

        private int Object(int i, int depth)
        {
            i = SkipSpace(i);
            if (i < s.Length && s[i] == '}')
            {
                return i + 1;
            }

            while (true)
            {
                i = i < s.Length && s[i] == '"' ? SkipSpace(String(i + 1))
                    : throw new SyntaxError("Expecting property name enclosed in double quotes", i);
                i = i < s.Length && s[i] == ':' ? SkipSpace(Value(SkipSpace(i + 1), depth)) : throw new SyntaxError("Expecting ':' delimiter", i);
                if (i < s.Length && s[i] == '}')
                {
                    return i + 1;
                }

                i = i < s.Length && s[i] == ',' ? SkipSpace(i + 1) : throw new SyntaxError("Expecting ',' delimiter", i);
            }
        }

        private int Array(int i, int depth)
        {
            i = SkipSpace(i);
            if (i < s.Length && s[i] == ']')
            {
                return i + 1;
            }

            while (true)
            {
                i = SkipSpace(Value(i, depth));
                if (i < s.Length && s[i] == ']')
                {
                    return i + 1;
                }

                i = i < s.Length && s[i] == ',' ? SkipSpace(i + 1) : throw new SyntaxError("Expecting ',' delimiter", i);
            }
        }
    }
}

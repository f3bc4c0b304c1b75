using System.Globalization;
using System.Text;

namespace PciPassthrough.Core.Config;

/// <summary>
/// A regular expression in Python's <c>re</c> syntax (3.11, what Nova compiles device_spec address regexes with, 01
/// DS-16…DS-18), checked by Python's rules and rewritten as an equivalent .NET pattern. The two dialects differ:
/// Python accepts possessive quantifiers, <c>{,n}</c>, <c>(?P&lt;name&gt;…)</c>, <c>\U</c>, <c>\N{…}</c> and escaped
/// punctuation such as <c>\_</c>, and refuses <c>\z</c>, <c>\G</c>, <c>\p{…}</c>, <c>\e</c>, <c>\cX</c>,
/// <c>(?&lt;name&gt;…)</c>, mid-pattern global flags, variable-width look-behinds and references to groups not yet
/// closed — all of which .NET reads the other way.
/// </summary>
/// <remarks>
/// The rewrite writes every literal as <c>\uXXXX</c> (a code point past U+FFFF as U+FFFF, which like it never equals
/// an address field's ASCII text), every group as a numbered one and Python's verbose mode as already-stripped
/// text. A <see cref="Refusal"/> is Python's <c>re.error</c>, or with <see cref="Refusal.Overflow"/> the
/// <c>OverflowError</c> of a repetition count past Python's limit (which Nova does not catch).
/// </remarks>
internal sealed class PythonRegex
{
    private const long MaxRepeat = uint.MaxValue; // _sre.MAXREPEAT
    private const string Flags = "iLmsxatu";

    private readonly string _pattern;
    private readonly StringBuilder _out = new();
    private readonly List<(long Lo, long Hi)?> _groupWidths = [default]; // index = group number; null while open
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
    private readonly List<int> _conditionalReferences = [];
    private int _position;
    private int? _lookbehindGroups;
    private bool _template;

    private PythonRegex(string pattern) => _pattern = pattern;

    /// <summary>The error Python's compiler raises for this text (an <c>OverflowError</c> or <c>re.error</c>).</summary>
    public sealed class Refusal(string message, bool overflow) : Exception(message)
    {
        public bool Overflow { get; } = overflow;
    }

    /// <summary>The .NET pattern that matches what Python's would, or the refusal Python gives.</summary>
    /// <exception cref="Refusal">Python's <c>re.compile</c> refuses <paramref name="pattern"/>.</exception>
    public static string Translate(string pattern)
    {
        var regex = new PythonRegex(pattern);
        var globalFlags = new StringBuilder();
        regex.ParseAlternation(0, verbose: false, globalFlags, out _);
        if (regex._position < pattern.Length)
        {
            throw regex.Error("unbalanced parenthesis");
        }

        if (regex._conditionalReferences.FirstOrDefault(g => g >= regex._groupWidths.Count) is var missing and > 0)
        {
            throw regex.Error($"invalid group reference {missing}");
        }

        if (globalFlags.ToString().Contains('a') && globalFlags.ToString().Contains('u'))
        {
            throw regex.Error("ASCII and UNICODE flags are incompatible");
        }

        var dotnetFlags = new string([.. globalFlags.ToString().Where(c => c is 'i' or 'm' or 's').Distinct()]);
        return (dotnetFlags.Length > 0 ? $"(?{dotnetFlags})" : "") + regex._out;
    }

    private Refusal Error(string message) => new($"{message} at position {_position}", overflow: false);

    private char? Next => _position < _pattern.Length ? _pattern[_position] : null;

    private char TakeAny(string messageAtEnd) =>
        _position < _pattern.Length ? _pattern[_position++] : throw Error(messageAtEnd);

    private bool Take(char c)
    {
        if (Next != c)
        {
            return false;
        }

        _position++;
        return true;
    }

    /// <summary>Branches separated by <c>|</c> up to a <c>)</c> or the end; <paramref name="width"/> as Python's getwidth.</summary>
    private int ParseAlternation(int nesting, bool verbose, StringBuilder? globalFlags, out (long Lo, long Hi) width, int maxBranches = int.MaxValue)
    {
        var branches = 0;
        width = (long.MaxValue, 0);
        while (true)
        {
            var branch = ParseSequence(nesting, verbose, branches == 0 ? globalFlags : null);
            width = (Math.Min(width.Lo, branch.Lo), Math.Max(width.Hi, branch.Hi));
            if (++branches > maxBranches)
            {
                throw Error("conditional backref with more than two branches");
            }

            if (!Take('|'))
            {
                return branches;
            }

            _out.Append('|');
        }
    }

    /// <summary>Items up to <c>|</c>, <c>)</c> or the end.</summary>
    private (long Lo, long Hi) ParseSequence(int nesting, bool verbose, StringBuilder? globalFlags)
    {
        long lo = 0, hi = 0;
        var items = 0;
        (int Start, ItemKind Kind, long Lo, long Hi) last = (0, ItemKind.None, 0, 0);
        while (Next is { } c && c != '|' && c != ')')
        {
            if (verbose && c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f' or '#')
            {
                SkipVerbose();
                continue;
            }

            if (c is '*' or '+' or '?' or '{')
            {
                if (ParseRepeat(ref last) is { } repeated)
                {
                    (lo, hi) = (Add(lo - last.Lo, repeated.Lo), Add(hi - last.Hi, repeated.Hi));
                    last = (last.Start, ItemKind.Repeat, repeated.Lo, repeated.Hi);
                    continue;
                }
            }

            var start = _out.Length;
            var item = ParseItem(nesting, ref verbose, items == 0 ? globalFlags : null);
            if (item.Kind == ItemKind.None)
            {
                continue; // a comment or global flags
            }

            items++;
            last = (start, item.Kind, item.Lo, item.Hi);
            (lo, hi) = (Add(lo, item.Lo), Add(hi, item.Hi));
        }

        if (nesting == 0 && Next == ')')
        {
            throw Error("unbalanced parenthesis");
        }

        return (lo, hi);
    }

    private void SkipVerbose()
    {
        if (_pattern[_position] == '#')
        {
            while (Next is { } c && c != '\n')
            {
                _position++;
            }
        }

        _position++;
    }

    private static long Add(long a, long b) => Math.Min(a + b, MaxRepeat);

    private enum ItemKind { None, Literal, At, Group, Repeat }

    /// <summary>A quantifier after the last item, or null when <c>{</c> starts no quantifier (it is then a literal).</summary>
    private (long Lo, long Hi)? ParseRepeat(ref (int Start, ItemKind Kind, long Lo, long Hi) last)
    {
        var here = _position;
        var c = _pattern[_position++];
        long min, max;
        var text = c.ToString();
        switch (c)
        {
            case '*': (min, max) = (0, MaxRepeat); break;
            case '+': (min, max) = (1, MaxRepeat); break;
            case '?': (min, max) = (0, 1); break;
            default:
                if (Next == '}')
                {
                    _position = here;
                    return null;
                }

                var low = Digits();
                var high = Take(',') ? Digits() : low;
                if (!Take('}'))
                {
                    _position = here;
                    return null;
                }

                min = low.Length > 0 ? RepeatCount(low) : 0;
                max = high.Length > 0 ? RepeatCount(high) : MaxRepeat;
                if (max < min)
                {
                    throw Error("min repeat greater than max repeat");
                }

                text = $"{{{Math.Min(min, int.MaxValue)},{(max == MaxRepeat ? "" : Math.Min(max, int.MaxValue).ToString(CultureInfo.InvariantCulture))}}}";
                break;
        }

        if (last.Kind is ItemKind.None or ItemKind.At)
        {
            throw Error("nothing to repeat");
        }

        if (last.Kind == ItemKind.Repeat)
        {
            throw Error("multiple repeat");
        }

        if (_template)
        {
            throw Error("internal: unsupported template operator MAX_REPEAT");
        }

        var atom = _out.ToString(last.Start, _out.Length - last.Start);
        _out.Length = last.Start;
        if (Take('?'))
        {
            _out.Append("(?:").Append(atom).Append(')').Append(text).Append('?');
        }
        else if (Take('+'))
        {
            _out.Append("(?>(?:").Append(atom).Append(')').Append(text).Append(')');
        }
        else
        {
            _out.Append("(?:").Append(atom).Append(')').Append(text);
        }

        return (Math.Min(last.Lo * min, MaxRepeat), last.Hi == 0 ? 0 : Math.Min(max == MaxRepeat ? MaxRepeat : last.Hi * max, MaxRepeat));

        string Digits()
        {
            var start = _position;
            while (Next is >= '0' and <= '9')
            {
                _position++;
            }

            return _pattern[start.._position];
        }

        long RepeatCount(string digits) => digits.Length > 10 || long.Parse(digits, CultureInfo.InvariantCulture) >= MaxRepeat
            ? throw new Refusal("the repetition number is too large", overflow: true)
            : long.Parse(digits, CultureInfo.InvariantCulture);
    }

    private (ItemKind Kind, long Lo, long Hi) ParseItem(int nesting, ref bool verbose, StringBuilder? globalFlags)
    {
        var c = _pattern[_position++];
        switch (c)
        {
            case '[':
                ParseClass();
                return (ItemKind.Literal, 1, 1);
            case '.':
                _out.Append('.');
                return (ItemKind.Literal, 1, 1);
            case '^':
            case '$':
                _out.Append(c);
                return (ItemKind.At, 0, 0);
            case '\\':
                return ParseEscape();
            case '(':
                return ParseGroup(nesting, ref verbose, globalFlags);
            default:
                AppendLiteral(char.IsHighSurrogate(c) && Next is { } low && char.IsLowSurrogate(low) ? _pattern[_position++] : c);
                return (ItemKind.Literal, 1, 1);
        }
    }

    private void AppendLiteral(int codePoint) =>
        _out.Append(CultureInfo.InvariantCulture, $"\\u{(codePoint > 0xFFFF || codePoint is >= 0xD800 and <= 0xDFFF ? 0xFFFF : codePoint):X4}");

    private (ItemKind Kind, long Lo, long Hi) ParseEscape()
    {
        var c = TakeAny("bad escape (end of pattern)");
        switch (c)
        {
            case 'A':
                _out.Append("\\A");
                return (ItemKind.At, 0, 0);
            case 'Z':
                _out.Append("\\z");
                return (ItemKind.At, 0, 0);
            case 'b' or 'B':
                _out.Append('\\').Append(c);
                return (ItemKind.At, 0, 0);
            case 'd' or 'D' or 's' or 'S' or 'w' or 'W':
                _out.Append('\\').Append(c);
                return (ItemKind.Literal, 1, 1);
            case >= '1' and <= '9':
                return BackReferenceOrOctal(c);
            default:
                AppendLiteral(CharacterEscape(c, inClass: false));
                return (ItemKind.Literal, 1, 1);
        }
    }

    /// <summary>A backslash escape that stands for one character (Python's ESCAPES, \x, \u, \U, \N, octal, punctuation).</summary>
    private int CharacterEscape(char c, bool inClass)
    {
        switch (c)
        {
            case 'a': return 7;
            case 'b' when inClass: return 8;
            case 'f': return 12;
            case 'n': return 10;
            case 'r': return 13;
            case 't': return 9;
            case 'v': return 11;
            case '\\': return '\\';
            case 'x': return Hex(2, c);
            case 'u': return Hex(4, c);
            case 'U':
                var value = Hex(8, c);
                return value <= 0x10FFFF ? value : throw Error("bad escape \\U");
            case 'N':
                return NamedCharacter();
            case '0':
                return Octal();
            case >= '1' and <= '7' when inClass:
                return Octal();
            case >= '8' and <= '9' when inClass:
                throw Error($"bad escape \\{c}");
            default:
                return char.IsAsciiLetter(c) ? throw Error($"bad escape \\{c}") : c;
        }

        int Octal()
        {
            var start = _position - 1;
            while (_position - start < 3 && Next is >= '0' and <= '7')
            {
                _position++;
            }

            var code = Convert.ToInt32(_pattern[start.._position], 8);
            return code <= 255 ? code : throw Error("octal escape value outside of range 0-0o377");
        }
    }

    private int Hex(int digits, char kind)
    {
        var start = _position;
        while (_position - start < digits && Next is { } d && char.IsAsciiHexDigit(d))
        {
            _position++;
        }

        return _position - start == digits
            ? int.Parse(_pattern.AsSpan(start, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : throw Error($"incomplete escape \\{kind}{_pattern[start.._position]}");
    }

    /// <summary><c>\N{NAME}</c>: the ASCII letters and digits by their Unicode names; any other name stands for a
    /// character outside ASCII (which no address field holds).</summary>
    private int NamedCharacter()
    {
        if (!Take('{'))
        {
            throw Error("missing {");
        }

        var end = _pattern.IndexOf('}', _position);
        if (end < 0 || end == _position)
        {
            throw Error(end < 0 ? "missing }, unterminated name" : "missing character name");
        }

        var name = _pattern[_position..end].ToUpperInvariant();
        _position = end + 1;
        string[] digits = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"];
        return name switch
        {
            _ when name.StartsWith("DIGIT ", StringComparison.Ordinal) && Array.IndexOf(digits, name[6..]) is var d and >= 0 => '0' + d,
            _ when name.StartsWith("LATIN SMALL LETTER ", StringComparison.Ordinal) && name.Length == 20 && char.IsAsciiLetterUpper(name[19]) =>
                char.ToLowerInvariant(name[19]),
            _ when name.StartsWith("LATIN CAPITAL LETTER ", StringComparison.Ordinal) && name.Length == 22 && char.IsAsciiLetterUpper(name[21]) =>
                name[21],
            _ => 0x10000,
        };
    }

    /// <summary><c>\1</c>…<c>\99</c> refer to a closed earlier group; three octal digits are a character.</summary>
    private (ItemKind Kind, long Lo, long Hi) BackReferenceOrOctal(char first)
    {
        var text = first.ToString();
        if (Next is >= '0' and <= '9')
        {
            text += _pattern[_position++];
            if (first <= '7' && text[1] <= '7' && Next is >= '0' and <= '7')
            {
                text += _pattern[_position++];
                var code = Convert.ToInt32(text, 8);
                if (code > 255)
                {
                    throw Error($"octal escape value \\{text} outside of range 0-0o377");
                }

                AppendLiteral(code);
                return (ItemKind.Literal, 1, 1);
            }
        }

        var group = int.Parse(text, CultureInfo.InvariantCulture);
        if (group >= _groupWidths.Count)
        {
            throw Error($"invalid group reference {group}");
        }

        return GroupReference(group);
    }

    private (ItemKind Kind, long Lo, long Hi) GroupReference(int group)
    {
        if (_groupWidths[group] is not { } width)
        {
            throw Error("cannot refer to an open group");
        }

        if (_lookbehindGroups is { } first && group >= first)
        {
            throw Error("cannot refer to group defined in the same lookbehind subpattern");
        }

        _out.Append(CultureInfo.InvariantCulture, $"\\k<{group}>");
        return (ItemKind.Literal, width.Lo, width.Hi);
    }

    private void ParseClass()
    {
        var start = _position - 1;
        _out.Append('[');
        if (Take('^'))
        {
            _out.Append('^');
        }

        var items = 0;
        while (true)
        {
            if (Next is not { } c)
            {
                _position = start;
                throw Error("unterminated character set");
            }

            _position++;
            if (c == ']' && items > 0)
            {
                _out.Append(']');
                return;
            }

            var low = ClassItem(c, out var lowIsClass);
            items++;
            if (Next == '-' && _position + 1 < _pattern.Length)
            {
                _position++;
                var d = _pattern[_position++];
                if (d == ']')
                {
                    _out.Append(low).Append("\\u002D]");
                    return;
                }

                var high = ClassItem(d, out var highIsClass);
                if (lowIsClass || highIsClass || CodePoint(low) > CodePoint(high))
                {
                    throw Error("bad character range");
                }

                _out.Append(low).Append('-').Append(high);
            }
            else if (Next == '-')
            {
                _position = start;
                throw Error("unterminated character set");
            }
            else
            {
                _out.Append(low);
            }
        }

        static int CodePoint(string escaped) => int.Parse(escaped.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    /// <summary>One class member as .NET text: <c>\uXXXX</c>, or a category escape (<paramref name="isClass"/>).</summary>
    private string ClassItem(char c, out bool isClass)
    {
        isClass = false;
        int codePoint = c;
        if (c == '\\')
        {
            var e = TakeAny("unterminated character set");
            if (e is 'd' or 'D' or 's' or 'S' or 'w' or 'W')
            {
                isClass = true;
                return $"\\{e}";
            }

            codePoint = CharacterEscape(e, inClass: true);
        }
        else if (char.IsHighSurrogate(c) && Next is { } low && char.IsLowSurrogate(low))
        {
            _position++;
            codePoint = 0x10000;
        }

        return string.Create(CultureInfo.InvariantCulture, $"\\u{(codePoint > 0xFFFF || codePoint is >= 0xD800 and <= 0xDFFF ? 0xFFFF : codePoint):X4}");
    }

    private (ItemKind Kind, long Lo, long Hi) ParseGroup(int nesting, ref bool verbose, StringBuilder? globalFlags)
    {
        if (!Take('?'))
        {
            return CapturingGroup(nesting, verbose, name: null);
        }

        var c = TakeAny("unexpected end of pattern");
        switch (c)
        {
            case ':':
                _out.Append("(?:");
                return Close(SubPattern(nesting, verbose), ItemKind.Group);
            case '>':
                _out.Append("(?>");
                return Close(SubPattern(nesting, verbose), ItemKind.Group);
            case 'P':
                if (Take('<'))
                {
                    return CapturingGroup(nesting, verbose, GroupName('>'));
                }

                if (Take('='))
                {
                    var name = GroupName(')');
                    return _names.TryGetValue(name, out var group) ? GroupReference(group) : throw Error($"unknown group name '{name}'");
                }

                throw Error(Next is { } p ? $"unknown extension ?P{p}" : "unexpected end of pattern");
            case '=' or '!':
                _out.Append("(?").Append(c);
                SubPattern(nesting, verbose);
                return Close((0, 0), ItemKind.Group);
            case '<' when Next is '=' or '!':
                var direction = _pattern[_position++];
                _out.Append("(?<").Append(direction);
                var outer = _lookbehindGroups;
                _lookbehindGroups ??= _groupWidths.Count;
                var width = SubPattern(nesting, verbose);
                _lookbehindGroups = outer;
                if (width.Lo != width.Hi)
                {
                    throw Error("look-behind requires fixed-width pattern");
                }

                return Close((0, 0), ItemKind.Group);
            case '<':
                throw Error(Next is { } u ? $"unknown extension ?<{u}" : "unexpected end of pattern");
            case '#':
                var end = _pattern.IndexOf(')', _position);
                _position = end >= 0 ? end + 1 : throw Error("missing ), unterminated comment");
                return (ItemKind.None, 0, 0);
            case '(':
                return Conditional(nesting, verbose);
            default:
                if (!Flags.Contains(c) && c != '-')
                {
                    throw Error($"unknown extension ?{c}");
                }

                return InlineFlags(c, nesting, ref verbose, globalFlags);
        }
    }

    private (ItemKind Kind, long Lo, long Hi) CapturingGroup(int nesting, bool verbose, string? name)
    {
        var group = _groupWidths.Count;
        _groupWidths.Add(null);
        if (name is not null && !_names.TryAdd(name, group))
        {
            throw Error($"redefinition of group name '{name}'");
        }

        _out.Append('(');
        var width = SubPattern(nesting, verbose);
        _groupWidths[group] = width;
        return Close(width, ItemKind.Group);
    }

    private (long Lo, long Hi) SubPattern(int nesting, bool verbose) => SubPattern(nesting, verbose, int.MaxValue, out _);

    private (long Lo, long Hi) SubPattern(int nesting, bool verbose, int maxBranches, out int branches)
    {
        branches = ParseAlternation(nesting + 1, verbose, null, out var width, maxBranches);
        return Take(')') ? width : throw Error("missing ), unterminated subpattern");
    }

    private (ItemKind Kind, long Lo, long Hi) Close((long Lo, long Hi) width, ItemKind kind)
    {
        _out.Append(')');
        return (kind, width.Lo, width.Hi);
    }

    private string GroupName(char terminator)
    {
        var end = _pattern.IndexOf(terminator, _position);
        if (end < 0)
        {
            throw Error(terminator == '>' ? "missing >, unterminated name" : "missing ), unterminated name");
        }

        var name = _pattern[_position..end];
        _position = end + 1;
        return name.Length == 0 ? throw Error("missing group name")
            : IsIdentifier(name) ? name : throw Error($"bad character in group name '{name}'");
    }

    // str.isidentifier(), for the letters and digits a pattern can hold
    private static bool IsIdentifier(string name) =>
        (char.IsLetter(name[0]) || name[0] == '_' || char.GetUnicodeCategory(name[0]) == UnicodeCategory.LetterNumber)
        && name.All(ch => char.IsLetterOrDigit(ch) || ch == '_' || char.GetUnicodeCategory(ch) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.LetterNumber);

    private (ItemKind Kind, long Lo, long Hi) Conditional(int nesting, bool verbose)
    {
        var end = _pattern.IndexOf(')', _position);
        if (end < 0)
        {
            throw Error("missing ), unterminated name");
        }

        var name = _pattern[_position..end];
        _position = end + 1;
        int group;
        if (IsIdentifier(name))
        {
            group = _names.TryGetValue(name, out var named) ? named : throw Error($"unknown group name '{name}'");
        }
        else if (name.Length > 0 && name.All(char.IsAsciiDigit))
        {
            group = name.Length <= 9 ? int.Parse(name, CultureInfo.InvariantCulture) : int.MaxValue;
            if (group == 0)
            {
                throw Error("bad group number");
            }

            _conditionalReferences.Add(group);
        }
        else
        {
            throw Error(name.Length == 0 ? "missing group name" : $"bad character in group name '{name}'");
        }

        if (_lookbehindGroups is { } first && (group >= _groupWidths.Count || _groupWidths[group] is null || group >= first))
        {
            throw Error("cannot refer to group defined in the same lookbehind subpattern");
        }

        _out.Append(CultureInfo.InvariantCulture, $"(?({group})");
        var width = SubPattern(nesting, verbose, maxBranches: 2, out var branches);
        return Close(branches == 2 ? width : (0, width.Hi), ItemKind.Group);
    }

    /// <summary><c>(?flags)</c> (global: only at the very start) or <c>(?flags-flags:…)</c>.</summary>
    private (ItemKind Kind, long Lo, long Hi) InlineFlags(char c, int nesting, ref bool verbose, StringBuilder? globalFlags)
    {
        var on = new StringBuilder();
        var off = new StringBuilder();
        if (c != '-')
        {
            while (true)
            {
                if (c == 'L')
                {
                    throw Error("bad inline flags: cannot use 'L' flag with a str pattern");
                }

                on.Append(c);
                if (on.ToString().Contains('a') && on.ToString().Contains('u'))
                {
                    throw Error("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
                }

                c = TakeAny("missing -, : or )");
                if (c is ')' or '-' or ':')
                {
                    break;
                }

                if (!Flags.Contains(c))
                {
                    throw Error(char.IsLetter(c) ? "unknown flag" : "missing -, : or )");
                }
            }
        }

        if (c == ')')
        {
            if (globalFlags is null)
            {
                throw Error("global flags not at the start of the expression");
            }

            globalFlags.Append(on);
            verbose |= on.ToString().Contains('x');
            _template |= on.ToString().Contains('t');
            return (ItemKind.None, 0, 0);
        }

        if (on.ToString().Contains('t'))
        {
            throw Error("bad inline flags: cannot turn on global flag");
        }

        if (c == '-')
        {
            c = TakeAny("missing flag");
            if (!Flags.Contains(c))
            {
                throw Error(char.IsLetter(c) ? "unknown flag" : "missing flag");
            }

            while (true)
            {
                if (c is 'a' or 'u' or 'L')
                {
                    throw Error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
                }

                if (c == 't')
                {
                    throw Error("bad inline flags: cannot turn off global flag");
                }

                off.Append(c);
                c = TakeAny("missing :");
                if (c == ':')
                {
                    break;
                }

                if (!Flags.Contains(c))
                {
                    throw Error(char.IsLetter(c) ? "unknown flag" : "missing :");
                }
            }
        }

        if (on.ToString().Any(f => off.ToString().Contains(f)))
        {
            throw Error("bad inline flags: flag turned on and off");
        }

        var innerVerbose = (verbose || on.ToString().Contains('x')) && !off.ToString().Contains('x');
        string Kept(StringBuilder flags) => new([.. flags.ToString().Where(f => f is 'i' or 'm' or 's').Distinct()]);
        var (keptOn, keptOff) = (Kept(on), Kept(off));
        _out.Append("(?").Append(keptOn).Append(keptOff.Length > 0 ? "-" + keptOff : "").Append(':');
        return Close(SubPattern(nesting, innerVerbose), ItemKind.Group);
    }
}

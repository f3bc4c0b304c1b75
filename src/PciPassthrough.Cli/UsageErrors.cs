using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace PciPassthrough.Cli;

/// <summary>
/// A verb's wrong command line, one line per mistake: the parser's own line, except that a missing argument, option
/// or option value is named with what it should be (the parser says only "Required argument missing for command:
/// 'show'.").
/// </summary>
internal static class UsageErrors
{
    /// <summary>Runs the parser's error action for its typo suggestions only (it prints them on its output, which
    /// goes to <paramref name="error"/> here so that a script's stdout stays clean), then one line per error.</summary>
    public static void Write(ParseResult parseResult, IReadOnlyDictionary<string, Option> notBooleans, TextWriter error)
    {
        if (parseResult.Action is ParseErrorAction errors)
        {
            errors.ShowHelp = false;
            var suggestions = new StringWriter();
            parseResult.Invoke(new InvocationConfiguration { Output = suggestions, Error = TextWriter.Null });
            var skipping = false;
            foreach (var line in suggestions.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // each token's block starts "'TOKEN' was not matched."; a true/false option's value gets no name suggested
                if (line.StartsWith('\''))
                {
                    skipping = notBooleans.Keys.Any(value => line.StartsWith($"'{value}' was not matched", StringComparison.Ordinal));
                }

                if (!skipping)
                {
                    error.WriteLine(line);
                }
            }
        }

        foreach (var (value, option) in notBooleans)
        {
            error.WriteLine($"{option.Name} '{value}': expected true or false ({option.Name} alone means true).");
        }

        foreach (var mistake in parseResult.Errors.Where(e => !notBooleans.Keys.Any(value => e.Message == Unrecognized(value))))
        {
            error.WriteLine(Describe(mistake));
        }
    }

    /// <summary>
    /// The values given to a true/false option of the verb that are neither, with their option. The parser takes only
    /// true or false as such a value: it leaves any other unmatched ("Unrecognized command or argument"), or, written
    /// <c>--explain=1</c>, hands it to the verb's next argument.
    /// </summary>
    public static Dictionary<string, Option> NotBooleans(ParseResult parseResult, IReadOnlyList<string> args)
    {
        var flags = parseResult.CommandResult.Command.Options
            .Where(o => o.ValueType == typeof(bool) && o.Arity.MaximumNumberOfValues == 1)
            .SelectMany(o => o.Aliases.Prepend(o.Name).Select(name => (Name: name, Option: o)))
            .ToList();
        var values = new Dictionary<string, Option>(StringComparer.Ordinal);
        var tokens = parseResult.Tokens;
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i - 1].Type == TokenType.Option && tokens[i].Type == TokenType.Argument
                && parseResult.UnmatchedTokens.Contains(tokens[i].Value)
                && flags.FirstOrDefault(f => f.Name == tokens[i - 1].Value).Option is { } option)
            {
                values.TryAdd(tokens[i].Value, option);
            }
        }

        foreach (var arg in args)
        {
            foreach (var (name, option) in flags)
            {
                if (arg.Length > name.Length && arg.StartsWith(name, StringComparison.Ordinal) && arg[name.Length] is '=' or ':'
                    && arg[(name.Length + 1)..] is var value && !bool.TryParse(value, out _))
                {
                    values.TryAdd(value, option);
                }
            }
        }

        return values;
    }

    /// <summary>The parser's line for a token nothing took.</summary>
    private static string Unrecognized(string token) => $"Unrecognized command or argument '{token}'.";

    private static string Describe(ParseError mistake) => mistake.SymbolResult switch
    {
        ArgumentResult { Argument: var argument, Parent: CommandResult } result
            when result.Tokens.Count < argument.Arity.MinimumNumberOfValues =>
            $"missing argument {argument.Name}: {Sentence(argument.Description)}",
        OptionResult { Option: var option, Implicit: false, Tokens.Count: 0 } when option.Arity.MinimumNumberOfValues > 0 =>
            $"missing value for {Usage(option)}: {Sentence(option.Description)}",
        OptionResult { Option: { Required: true } option, Implicit: true, Tokens.Count: 0 } =>
            $"missing option {Usage(option)}: {Sentence(option.Description)}",
        _ => mistake.Message,
    };

    /// <summary>The line for a <paramref name="word"/> that names none of <paramref name="group"/>'s verbs, with the
    /// nearest of them when one is a typo away.</summary>
    public static string NotAVerb(Command group, string path, string word)
    {
        var seeHelp = $"See '{path} --help' for its verbs.";
        if (word.StartsWith('-'))
        {
            return $"{path}: unknown option '{word}'. {seeHelp}";
        }

        var distances = group.Subcommands.Select(verb => (verb.Name, Distance: EditDistance(word, verb.Name)))
            .Where(verb => verb.Distance <= Math.Min(2, word.Length - 1)).ToList();
        var nearest = distances.Where(verb => verb.Distance == distances.Min(v => v.Distance)).Select(verb => $"'{verb.Name}'").ToList();
        return nearest.Count == 0
            ? $"{path}: unknown verb '{word}'. {seeHelp}"
            : $"{path}: unknown verb '{word}'; did you mean {string.Join(" or ", nearest)}? {seeHelp}";
    }

    /// <summary>Levenshtein distance, ignoring case.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static string Usage(Option option) => option.HelpName is { } value ? $"{option.Name} {value}" : option.Name;

    /// <summary>A description as the rest of a sentence: "The server's id…" → "the server's id…".</summary>
    private static string Sentence(string? description) => description switch
    {
        null or "" => "see the verb's help.",
        [var first, var second, ..] when char.IsUpper(first) && char.IsLower(second) =>
            char.ToLowerInvariant(first) + description[1..],
        _ => description,
    };
}

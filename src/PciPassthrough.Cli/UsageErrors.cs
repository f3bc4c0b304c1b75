using System.CommandLine;
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
    public static void Write(ParseResult parseResult, TextWriter error)
    {
        var suggestions = new StringWriter();
        parseResult.Invoke(new InvocationConfiguration { Output = suggestions, Error = TextWriter.Null });
        foreach (var line in suggestions.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            error.WriteLine(line);
        }

        foreach (var mistake in parseResult.Errors)
        {
            error.WriteLine(Describe(mistake));
        }
    }

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

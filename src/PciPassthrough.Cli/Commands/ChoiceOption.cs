using System.CommandLine;

namespace PciPassthrough.Cli.Commands;

/// <summary>Options that take one of a few words; a wrong one is a usage error on one line naming the option, the value
/// and the valid words (the parser's own message names neither the option nor them on one line).</summary>
internal static class ChoiceOption
{
    public static void AcceptOnly(this Option option, params string[] choices)
    {
        option.CompletionSources.Add(choices);
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !choices.Contains(t.Value, StringComparer.Ordinal)))
            {
                result.AddError($"{option.Name} '{token.Value}': expected one of {string.Join(", ", choices)}.");
            }
        });
    }
}

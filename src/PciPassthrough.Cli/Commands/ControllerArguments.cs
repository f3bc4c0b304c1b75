using System.CommandLine;
using System.Text.Json.Nodes;

namespace PciPassthrough.Cli.Commands;

/// <summary>Arguments and options the client verbs share, and the JSON they become.</summary>
internal static class ControllerArguments
{
    public static Argument<string> Name(string what, string example) => new("NAME")
    {
        Description = $"The {what}'s name, e.g. {example}.",
    };

    /// <summary>A server or port: its id, or its name when only one of the caller's has it.</summary>
    public static Argument<string> IdOrName(string what, string example) => new(what.ToUpperInvariant())
    {
        Description = $"The {what}'s id, or its name when it is unique, e.g. {example}.",
    };

    /// <summary>A repeatable <c>KEY=VALUE</c> option; a value without <c>=</c> or with an empty key is a usage error.</summary>
    public static Option<string[]> Properties(string name, string description)
    {
        var option = new Option<string[]>(name)
        {
            Description = description,
            HelpName = "KEY=VALUE",
            AllowMultipleArgumentsPerToken = false,
        };
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    result.AddError($"{name} '{token.Value}' is not KEY=VALUE; e.g. {name} pci_passthrough:alias=a100:1");
                }
            }
        });
        return option;
    }

    /// <summary>The <c>KEY=VALUE</c> pairs as a JSON object of strings; a repeated key keeps its last value.</summary>
    public static JsonObject ToObject(IEnumerable<string>? pairs)
    {
        var json = new JsonObject();
        foreach (var pair in pairs ?? [])
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            json[pair[..at]] = pair[(at + 1)..];
        }

        return json;
    }

    public static string Escape(string segment) => Uri.EscapeDataString(segment);
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace PciPassthrough.Server.Placement;

/// <summary>What a check looks at: the caller's credentials, the object acted on, and the other rules
/// (<c>rule:NAME</c>).</summary>
/// <param name="Credentials">user_id, project_id, system_scope (strings or null) and roles (a list).</param>
/// <param name="Target">What <c>%(name)s</c> in a check expands from, e.g. the project whose usages are read.</param>
/// <param name="Rule">Evaluates another rule by name (false for an unknown one).</param>
public sealed record PolicyContext(
    IReadOnlyDictionary<string, object?> Credentials,
    IReadOnlyDictionary<string, string?> Target,
    Func<string, PolicyContext, bool> Rule);

/// <summary>
/// An oslo.policy check string, parsed: <c>@</c> (always), <c>!</c> (never), <c>role:R</c>, <c>rule:NAME</c>,
/// <c>KEY:VALUE</c> (a credential equals VALUE, which may be <c>%(target_key)s</c>), combined with <c>and</c>,
/// <c>or</c>, <c>not</c> and parentheses (not binds tighter than and, and than or). An empty string always passes.
/// </summary>
public abstract partial record PolicyCheck
{
    public abstract bool Allows(PolicyContext context);

    /// <summary>The rule names this check refers to through <c>rule:</c>.</summary>
    public abstract IEnumerable<string> References { get; }

    /// <summary>Parses <paramref name="text"/>; a <see cref="FormatException"/> says what is wrong with it.</summary>
    public static PolicyCheck Parse(string text)
    {
        var tokens = Tokenize(text);
        if (tokens.Count == 0)
        {
            return new Constant(true);
        }

        var position = 0;
        var check = ParseOr(tokens, ref position);
        return position == tokens.Count ? check : throw new FormatException($"unexpected '{tokens[position]}'");
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var start = 0;
            var end = word.Length;
            while (start < end && word[start] == '(')
            {
                tokens.Add("(");
                start++;
            }

            var closing = 0;
            while (end > start && word[end - 1] == ')')
            {
                closing++;
                end--;
            }

            if (end > start)
            {
                tokens.Add(word[start..end]);
            }

            tokens.AddRange(Enumerable.Repeat(")", closing));
        }

        return tokens;
    }

    private static bool IsKeyword(string token, string keyword) => token.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    private delegate PolicyCheck Parser(List<string> tokens, ref int position);

    private static PolicyCheck ParseOr(List<string> tokens, ref int position) =>
        ParseChain(tokens, ref position, "or", ParseAnd, operands => new Any(operands));

    private static PolicyCheck ParseAnd(List<string> tokens, ref int position) =>
        ParseChain(tokens, ref position, "and", ParseNot, operands => new All(operands));

    /// <summary>Operands joined by <paramref name="keyword"/>, each parsed by <paramref name="operand"/>.</summary>
    private static PolicyCheck ParseChain(List<string> tokens, ref int position, string keyword, Parser operand,
        Func<List<PolicyCheck>, PolicyCheck> combine)
    {
        var operands = new List<PolicyCheck> { operand(tokens, ref position) };
        while (position < tokens.Count && IsKeyword(tokens[position], keyword))
        {
            position++;
            operands.Add(operand(tokens, ref position));
        }

        return operands.Count == 1 ? operands[0] : combine(operands);
    }

    private static PolicyCheck ParseNot(List<string> tokens, ref int position)
    {
        if (position == tokens.Count)
        {
            throw new FormatException(position == 0 ? "empty check" : $"a check is missing after '{tokens[position - 1]}'");
        }

        var token = tokens[position++];
        if (IsKeyword(token, "not"))
        {
            return new Not(ParseNot(tokens, ref position));
        }

        if (token == "(")
        {
            var inner = ParseOr(tokens, ref position);
            if (position == tokens.Count || tokens[position] != ")")
            {
                throw new FormatException("'(' without its ')'");
            }

            position++;
            return inner;
        }

        return token is ")" || IsKeyword(token, "and") || IsKeyword(token, "or")
            ? throw new FormatException($"unexpected '{token}'")
            : Single(token);
    }

    private static PolicyCheck Single(string token)
    {
        switch (token)
        {
            case "@":
                return new Constant(true);
            case "!":
                return new Constant(false);
        }

        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"'{token}' is not a check (@, !, or KIND:MATCH such as role:admin)");
        }

        var (kind, match) = (token[..colon], token[(colon + 1)..]);
        return kind switch
        {
            "rule" => new Rule(match),
            "role" => new Role(match),
            "http" or "https" => throw new FormatException($"'{token}': remote (http) checks are not supported"),
            _ => new Generic(kind, match),
        };
    }

    /// <summary>Python's <c>match % target</c> for the <c>%(key)s</c> form; null when the target lacks a key.</summary>
    private static string? Expand(string match, PolicyContext context)
    {
        var missing = false;
        var expanded = TargetKey().Replace(match, m =>
        {
            if (m.Value == "%%")
            {
                return "%";
            }

            if (!context.Target.TryGetValue(m.Groups[1].Value, out var value))
            {
                missing = true;
            }

            return value ?? "None";
        });
        return missing ? null : expanded;
    }

    [GeneratedRegex(@"%\(([^)]*)\)s|%%")]
    private static partial Regex TargetKey();

    /// <summary>How Python prints a credential value, which is what oslo.policy compares with.</summary>
    private static string PythonText(object? value) => value switch
    {
        null => "None",
        bool flag => flag ? "True" : "False",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "None",
    };

    public sealed record Constant(bool Value) : PolicyCheck
    {
        public override bool Allows(PolicyContext context) => Value;

        public override IEnumerable<string> References => [];
    }

    public sealed record All(IReadOnlyList<PolicyCheck> Operands) : PolicyCheck
    {
        public override bool Allows(PolicyContext context) => Operands.All(o => o.Allows(context));

        public override IEnumerable<string> References => Operands.SelectMany(o => o.References);
    }

    public sealed record Any(IReadOnlyList<PolicyCheck> Operands) : PolicyCheck
    {
        public override bool Allows(PolicyContext context) => Operands.Any(o => o.Allows(context));

        public override IEnumerable<string> References => Operands.SelectMany(o => o.References);
    }

    public sealed record Not(PolicyCheck Operand) : PolicyCheck
    {
        public override bool Allows(PolicyContext context) => !Operand.Allows(context);

        public override IEnumerable<string> References => Operand.References;
    }

    public sealed record Rule(string Name) : PolicyCheck
    {
        public override bool Allows(PolicyContext context) => context.Rule(Name, context);

        public override IEnumerable<string> References => [Name];
    }

    /// <summary>The caller has the role, compared case-insensitively.</summary>
    public sealed record Role(string Match) : PolicyCheck
    {
        public override bool Allows(PolicyContext context) =>
            Expand(Match, context) is { } role && context.Credentials.GetValueOrDefault("roles") is IEnumerable<string> roles
            && roles.Contains(role, StringComparer.OrdinalIgnoreCase);

        public override IEnumerable<string> References => [];
    }

    /// <summary><c>KEY:VALUE</c>: the credential KEY (or a quoted or numeric literal) equals VALUE after
    /// expansion; a list credential passes when it contains VALUE.</summary>
    public sealed record Generic(string Kind, string Match) : PolicyCheck
    {
        public override bool Allows(PolicyContext context)
        {
            if (Expand(Match, context) is not { } expected)
            {
                return false;
            }

            if (Literal(Kind) is { } literal)
            {
                return literal == expected;
            }

            return context.Credentials.TryGetValue(Kind, out var actual) && (actual is not string && actual is IEnumerable<string> list
                ? list.Contains(expected, StringComparer.Ordinal)
                : PythonText(actual) == expected);
        }

        private static string? Literal(string kind) =>
            kind.Length >= 2 && kind[0] == kind[^1] && kind[0] is '\'' or '"' ? kind[1..^1]
            : kind is "True" or "False" or "None" || double.TryParse(kind, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? kind
            : null;

        public override IEnumerable<string> References => [];
    }
}

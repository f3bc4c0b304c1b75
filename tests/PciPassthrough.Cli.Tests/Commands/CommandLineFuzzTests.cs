using System.CommandLine;
using System.Globalization;
using CsCheck;
using PciPassthrough.Cli.Commands;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary>Option values pcictl reads itself (whole numbers, <c>KEY=VALUE</c>, tokens), fed any text: the value is
/// taken, or the command line is refused with one line naming the option, the value and what is valid; never an
/// exception.</summary>
public sealed class CommandLineFuzzTests
{
    /// <summary>A controller that refuses connections (nothing listens on port 1), so a verb that gets as far as
    /// sending exits 3 at once.</summary>
    private const string DeadController = "http://127.0.0.1:1";

    /// <summary>Text as typed or pasted: no NUL and no lone surrogate, which a command line (UTF-8 C strings) cannot
    /// carry.</summary>
    private static readonly Gen<string> _text = Gen.Frequency(
        (3, Gen.String[Gen.Char["0123456789-+., eEx_=:@ab\"'\\\t\n\r\u007fé١"], 0, 12]),
        (2, Gen.OneOf("", " ", "0", "1", "-1", "+1", "007", " 1", "1 ", "2147483647", "2147483648", "-2147483648",
            "-2147483649", "99999999999999999999", "1e3", "0x10", "1.0", "1,000", "١", "１", "--", "-", "@", "@x", "--help",
            "-h", "a=b", "=b", "a=", "=", "k==v", "k=v=w", "pci_passthrough:alias=a100:1", "hw:numa_nodes=1", "k=\n")),
        (1, Gen.String[Gen.Char.Where(c => c != '\0' && !char.IsSurrogate(c)), 0, 8]));

    /// <summary>Every whole-number option: the rest of a command line it belongs to (valid, without it) and its range.</summary>
    private static readonly (string[] Line, string Option, int Minimum, int Maximum)[] _wholeNumbers =
    [
        (["flavor", "create", "f", "--ram", "1"], "--vcpus", 1, int.MaxValue),
        (["flavor", "create", "f", "--vcpus", "1"], "--ram", 1, int.MaxValue),
        (["flavor", "create", "f", "--vcpus", "1", "--ram", "1"], "--disk", 0, int.MaxValue),
        (["flavor", "create", "f", "--vcpus", "1", "--ram", "1"], "--ephemeral", 0, int.MaxValue),
        (["flavor", "create", "f", "--vcpus", "1", "--ram", "1"], "--swap", 0, int.MaxValue),
        (["capacity", "--flavor", "f"], "--count", 1, CapacityCommand.MaxCount),
        (["agent", "--controller", DeadController, "--config", "nova.conf"], "--interval", 1, int.MaxValue),
        (["serve"], "--heartbeat-interval", 1, int.MaxValue),
    ];

    [Fact]
    public void WholeNumberOptions_AreEveryIntegerOption() =>
        Options(Program.BuildRootCommand()).Where(o => o.ValueType == typeof(int) || o.ValueType == typeof(int?))
            .Select(o => o.Name).Distinct().Order(StringComparer.Ordinal)
            .ShouldBe(_wholeNumbers.Select(w => w.Option).Order(StringComparer.Ordinal));

    [Fact]
    public void WholeNumberOption_AnyText_IsTakenInRangeOrOneErrorNamingOptionValueAndRange() =>
        Gen.Select(Gen.Int[0, _wholeNumbers.Length - 1], _text).Sample((which, text) =>
        {
            var (line, option, minimum, maximum) = _wholeNumbers[which];

            // OPTION=VALUE hands the parser the text as the value even when it looks like an option or a response file
            string[] args = [.. line, $"{option}={text}"];

            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                && value >= minimum && value <= maximum)
            {
                var result = Program.BuildRootCommand().Parse(args);
                result.Errors.ShouldBeEmpty();
                var type = result.CommandResult.Command.Options.Single(o => o.Name == option).ValueType;
                (type == typeof(int) ? result.GetValue<int>(option) : result.GetValue<int?>(option)).ShouldBe(value);
            }
            else
            {
                var range = maximum == int.MaxValue ? $"at least {minimum}" : $"from {minimum} to {maximum}";
                ShouldBeRefused(args, text.Length == 0 ? $"missing value for {option} "
                    : $"{option} '{text}': expected a whole number {range}, e.g. {option} {Math.Max(minimum, 1)}.");
            }
        });

    [Fact]
    public void PropertyOption_AnyPairs_AreSentAsStringsOrOneErrorPerBadPair() =>
        Gen.Select(Gen.OneOf("flavor", "image"), _text.Array[0, 4]).Sample((group, pairs) =>
        {
            string[] line = group == "flavor" ? ["flavor", "create", "f", "--vcpus", "1", "--ram", "1"] : ["image", "create", "i"];

            string[] args = [.. line, .. pairs.Select(p => $"--property={p}")];

            // an empty --property= is no value: missing when it is the only one, left out beside others
            if (pairs.FirstOrDefault(p => p.Length > 0 && p.IndexOf('=', StringComparison.Ordinal) <= 0) is { } bad)
            {
                ShouldBeRefused(args, $"--property '{bad}' is not KEY=VALUE; e.g. --property pci_passthrough:alias=a100:1");
                return;
            }

            if (pairs.Length > 0 && pairs.All(p => p.Length == 0))
            {
                ShouldBeRefused(args, "missing value for --property KEY=VALUE: ");
                return;
            }

            var result = Program.BuildRootCommand().Parse(args);
            result.Errors.ShouldBeEmpty();
            var sent = ControllerArguments.ToObject(result.GetValue<string[]>("--property"));
            var expected = pairs.Where(p => p.Length > 0).GroupBy(p => p[..p.IndexOf('=', StringComparison.Ordinal)], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last()[(g.Key.Length + 1)..], StringComparer.Ordinal);
            sent.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal).ShouldBe(expected);
        });

    /// <summary>Every client verb with any text for its arguments, its own options and the shared ones, run to the end
    /// against a controller that is not there: a usage error (2), a refusal (1) or no controller (3), with a line on
    /// stderr; never an exception.</summary>
    [Fact]
    public void ClientVerb_AnyValues_ExitsWithACodeAndALineNeverAnException()
    {
        var verbs = ClientVerbs();
        Gen.Select(Gen.Int[0, verbs.Count - 1], _text.Array[8], Gen.Bool.Array[8]).Sample((which, values, given) =>
        {
            var (path, command) = verbs[which];
            var line = new List<string>(path);
            var next = 0;
            // a help word as an argument asks for the verb's help instead
            line.AddRange(command.Arguments.Select(_ => values[next++ % values.Length] is "--help" or "-h" ? "h" : values[next - 1]));
            foreach (var option in command.Options.Where(o => o.Name is not ("--controller" or "--help" or "--format")))
            {
                if (option.Required || given[next % given.Length])
                {
                    line.Add(option.ValueType == typeof(bool) ? option.Name : $"{option.Name}={values[next % values.Length]}");
                }

                next++;
            }

            line.AddRange(["--controller", DeadController]);
            var (output, error) = (new StringWriter(), new StringWriter());

            var exitCode = Program.Run(line, new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });

            exitCode.ShouldBeOneOf([ExitCodes.Invalid, ExitCodes.Usage, ExitCodes.Unreachable], string.Join(' ', line));
            error.ToString().ShouldNotBeEmpty(string.Join(' ', line));
            output.ToString().ShouldBeEmpty(string.Join(' ', line));
        }, iter: 300);
    }

    /// <summary>A token a header cannot carry was an unhandled FormatException (HttpHeaders.Add) before anything was
    /// sent.</summary>
    [Theory]
    [InlineData("server", "list", "--controller", DeadController)]
    [InlineData("agent", "--controller", DeadController, "--config", "nova.conf")]
    public void AuthToken_ThatNoHeaderCarries_IsAUsageErrorNamingIt(params string[] line)
    {
        var (exitCode, _, error) = HostCommandRunner.Run([.. line, "--auth-token", "secret\n"]);

        exitCode.ShouldBe(ExitCodes.Usage);
        error.ShouldContain("--auth-token 'secret\\x0a': expected a token of printable ASCII characters without spaces, e.g. --auth-token admin");
    }

    /// <summary>A token starting with '@' was read as a response file (the parser's default): 'Response file not found',
    /// and an unhandled ArgumentException for a path it cannot open.</summary>
    [Fact]
    public void AName_StartingWithAt_IsTheName()
    {
        var (exitCode, _, error) = HostCommandRunner.Run("flavor", "show", "@gpu", "--controller", DeadController);

        exitCode.ShouldBe(ExitCodes.Unreachable);
        error.ShouldStartWith($"pcictl: cannot reach the controller at {DeadController}/");
    }

    /// <summary>The command line is refused (exit 2) before anything runs, the first mistake's line starting with
    /// <paramref name="first"/>.</summary>
    private static void ShouldBeRefused(string[] args, string first)
    {
        var (exitCode, output, error) = HostCommandRunner.Run(args);

        exitCode.ShouldBe(ExitCodes.Usage, string.Join(' ', args));
        output.ShouldBeEmpty();
        error.ShouldStartWith(first, Case.Sensitive, string.Join(' ', args));
    }

    /// <summary>The verbs that talk to a controller (<see cref="ControllerOptions"/>), with how they are typed.</summary>
    internal static List<(string[] Path, Command Command)> ClientVerbs() => [.. Leaves(Program.BuildRootCommand(), [])
        .Where(v => v.Command.Options.Any(o => o.Name == "--format") && v.Command.Options.Any(o => o.Name == "--controller"))];

    private static IEnumerable<(string[] Path, Command Command)> Leaves(Command command, string[] path) => command.Subcommands.Count == 0
        ? [(path, command)]
        : command.Subcommands.SelectMany(sub => Leaves(sub, [.. path, sub.Name]));

    private static IEnumerable<Option> Options(Command command) =>
        command.Options.Concat(command.Subcommands.SelectMany(Options));
}

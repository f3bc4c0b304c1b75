using CsCheck;
using PciPassthrough.Cli.Commands;
using PciPassthrough.Host.Agent;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary>The option values pcictl checks itself before anything uses them: any text is accepted or gets one line
/// naming the option and the value, never an exception.</summary>
public sealed class OptionValueFuzzTests
{
    private static readonly Gen<string> _address = Gen.Frequency(
        (2, Gen.String[Gen.Char["0123456789.:[]*+/@ abcdfhlostx-%"], 0, 24]),
        (1, Gen.Select(Gen.OneOf<string>("127.0.0.1", "[::1]", "[::", "::1", "localhost", "*", "+", "", "[]", "[", "]", "a..b",
                "0.0.0.0", "999.1.1.1", "h\u00e9te", "http://x"),
            Gen.OneOf<string>(":8780", ":0", ":65535", ":65536", ":-1", ":", "::", ":99999999999", ":+1", ": 1", ""),
            (host, port) => host + port)));

    [Fact]
    public void Listen_AnyText_IsAHostAndPortOrOneLineNamingIt() =>
        _address.Sample(text =>
        {
            if (ListenAddress.Problem(text) is { } problem)
            {
                problem.ShouldStartWith($"--listen '{text}': expected HOST:PORT");
            }
        });

    [Fact]
    public void Controller_AnyText_IsAnHttpUrlOrOneLineNamingIt() =>
        Gen.Select(Gen.OneOf<string>("http://", "https://", "ftp://", "", "//", "http:/", "HTTP://"), _address, Gen.OneOf<string>("", "/", "/v1", "?x", "#"))
            .Sample((scheme, address, path) =>
            {
                var error = new StringWriter();
                var text = scheme + address + path;

                var url = ControllerOptions.ParseUrl(text, error);

                if (url is null)
                {
                    error.ToString().ShouldBe($"pcictl: --controller '{text}' is not an http(s) URL; expected e.g. "
                        + $"{ControllerClient.DefaultUrl}{Environment.NewLine}");
                }
                else
                {
                    url.Scheme.ShouldBeOneOf("http", "https");
                }
            });
}

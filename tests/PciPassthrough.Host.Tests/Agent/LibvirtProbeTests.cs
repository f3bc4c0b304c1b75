using CsCheck;
using PciPassthrough.Host.Agent;

namespace PciPassthrough.Host.Tests.Agent;

public sealed class LibvirtProbeTests
{
    private const string Capabilities = """
        <capabilities>
          <host><cpu><arch>x86_64</arch></cpu></host>
          <guest><os_type>hvm</os_type><arch name='i686'><wordsize>32</wordsize></arch></guest>
          <guest><os_type>hvm</os_type><arch name='x86_64'><wordsize>64</wordsize></arch></guest>
          <guest><os_type>hvm</os_type><arch name='aarch64'><wordsize>64</wordsize></arch></guest>
        </capabilities>
        """;

    private const string Version = """
        Compiled against library: libvirt 8.0.0
        Using library: libvirt 8.3.0
        Using API: QEMU 8.3.0
        Running hypervisor: QEMU 6.2.0
        """;

    /// <summary>Answers <c>virsh</c> with canned output and records what was asked.</summary>
    internal sealed class CannedRunner(Func<IReadOnlyList<string>, CommandResult> answer) : ICommandRunner
    {
        public List<string> Commands { get; } = [];

        public Task<CommandResult> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
        {
            Commands.Add(string.Join(' ', command));
            return Task.FromResult(answer(command));
        }
    }

    [Fact]
    public async Task LV18_Probe_GuestArchitecturesAndLibraryVersionFromVirsh()
    {
        var runner = new CannedRunner(command => new CommandResult(0, command[^1] == "capabilities" ? Capabilities : Version, ""));

        var (hypervisor, problem) = await LibvirtProbe.ReadAsync(runner, TestContext.Current.CancellationToken);

        problem.ShouldBeNull();
        hypervisor!.GuestArchitectures.Order(StringComparer.Ordinal).ShouldBe(["aarch64", "i686", "x86_64"]);
        hypervisor.LibvirtVersion.ShouldBe(new Version(8, 3, 0));
        runner.Commands.ShouldBe(["virsh -c qemu:///system capabilities", "virsh -c qemu:///system version"]);
    }

    [Fact]
    public async Task LV18_Probe_WithoutVirsh_SaysWhy()
    {
        var runner = new CannedRunner(_ => new CommandResult(ProcessCommandRunner.NotFound, "", "virsh: No such file or directory"));

        var (hypervisor, problem) = await LibvirtProbe.ReadAsync(runner, TestContext.Current.CancellationToken);

        hypervisor.ShouldBeNull();
        problem.ShouldBe("'virsh -c qemu:///system capabilities' failed (exit 127): virsh: No such file or directory");
    }

    [Fact]
    public async Task LV18_ACancelledRun_KillsTheProgram()
    {
        Assert.SkipUnless(File.Exists("/bin/sleep"), "no /bin/sleep");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var started = DateTime.UtcNow;

        var run = new ProcessCommandRunner().RunAsync(["/bin/sleep", "30"], cancel.Token);

        await Should.ThrowAsync<OperationCanceledException>(run);
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("not xml")]
    [InlineData("<domainCapabilities/>")]
    public void LV18_GuestArchitectures_OfSomethingElse_IsNull(string text) => LibvirtProbe.GuestArchitectures(text).ShouldBeNull();

    [Theory]
    [InlineData("Using library: libvirt 9.0.0\n", "9.0.0")]
    [InlineData("Compiled against library: libvirt 8.0.0\n", null)]
    [InlineData("", null)]
    public void LV18_LibraryVersion_FromTheUsingLibraryLine(string text, string? version) =>
        LibvirtProbe.LibraryVersion(text).ShouldBe(version is null ? null : System.Version.Parse(version));

    /// <summary>What virsh prints, changed anywhere (characters cut, replaced or spliced in): the architectures or the
    /// version it still names, or null; never an exception.</summary>
    private static Gen<string> Mutated(string text) =>
        Gen.Select(Gen.Int[0, text.Length], Gen.Int[0, 8], Gen.String[Gen.Char["<>/='\"&;!?[] \n0123456789.:xalibvrtUsng"], 0, 6])
            .Array[1, 4].Select(changes => changes.Aggregate(text, (t, c) =>
            {
                var at = Math.Min(c.Item1, t.Length);
                return t[..at] + c.Item3 + t[Math.Min(at + c.Item2, t.Length)..];
            }));

    [Fact]
    public void LV18_GuestArchitectures_AnyText_ASetOrNullNeverAnException() =>
        Gen.OneOf(Mutated(Capabilities), Gen.String, Gen.Const("<!DOCTYPE c [<!ENTITY x \"y\">]><capabilities>&x;</capabilities>"))
            .Sample(text =>
            {
                if (LibvirtProbe.GuestArchitectures(text) is { } architectures)
                {
                    architectures.ShouldAllBe(a => a != null);
                }
            }, iter: 1000);

    [Fact]
    public void LV18_LibraryVersion_AnyText_AVersionOnTheUsingLineOrNull() =>
        Gen.OneOf(Mutated(Version), Gen.String).Sample(text =>
        {
            if (LibvirtProbe.LibraryVersion(text) is { } version)
            {
                text.ShouldContain("Using library: libvirt ");
                version.Major.ShouldBeGreaterThanOrEqualTo(0);
            }
        }, iter: 1000);
}

using PciPassthrough.Core;

namespace PciPassthrough.Cli.Commands;

/// <summary>The arguments of <c>pcictl simulate</c>.</summary>
public sealed record SimulateOptions(IReadOnlyList<string> Scenarios, string? OutDir, bool Explain, NovaRelease Release = NovaRelease.Zed);

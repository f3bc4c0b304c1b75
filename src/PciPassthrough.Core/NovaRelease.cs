namespace PciPassthrough.Core;

/// <summary>
/// Which Nova release's rules to reproduce. <see cref="Latest"/> is the newest behaviour of <c>spec/</c>;
/// <see cref="Zed"/> is Nova 26.x, which <c>pcictl simulate</c> reproduces (scenario-format §6).
/// The few rules that differ read this setting; nothing else branches on the release.
/// </summary>
public enum NovaRelease
{
    Latest,
    Zed,
}

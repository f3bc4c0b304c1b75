namespace PciPassthrough.Testing.Sysfs;

/// <summary>A fake host tree on disk; deleted on dispose.</summary>
/// <param name="Root">Pass this as the discovery root (it holds <c>sys/</c> and <c>proc/</c>).</param>
/// <param name="Functions">The functions written, in the order they were described.</param>
public sealed record FakeSysfs(string Root, IReadOnlyList<FakePciFunction> Functions) : IDisposable
{
    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

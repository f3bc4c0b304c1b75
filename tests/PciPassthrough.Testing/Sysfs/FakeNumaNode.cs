namespace PciPassthrough.Testing.Sysfs;

/// <summary>One NUMA node of a <see cref="FakeSysfsBuilder"/> tree.</summary>
internal sealed record FakeNumaNode(int Id, int Socket, IReadOnlyList<int> Cpus, long MemoryMb, int ThreadsPerCore);

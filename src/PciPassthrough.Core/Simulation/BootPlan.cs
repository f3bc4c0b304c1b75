namespace PciPassthrough.Core.Simulation;

/// <summary>What the API part of a boot produced for the scheduler (SIM-31): the server's resources.</summary>
internal sealed record BootPlan(string ServerName, IReadOnlyDictionary<string, long> Resources);

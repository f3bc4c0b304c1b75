using System.Text.Json.Nodes;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>A compute pool: its identity keys (raw JSON values), count and members in pool order (the last is taken first).</summary>
public sealed record PoolReport(JsonObject Keys, long Count, IReadOnlyList<string> Devices);

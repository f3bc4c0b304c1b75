using System.Numerics;
using System.Text.Json.Nodes;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>One PCI request of a boot: flavor requests first, then ports (SIM-31).</summary>
public sealed record PciRequestReport(
    int Index,
    string Source,
    string? AliasName,
    string? Port,
    BigInteger Count,
    string? NumaPolicy,
    IReadOnlyList<JsonObject> Spec);

using System.Text.Json.Nodes;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>One alias name: its NUMA policy and one spec per alias line of that name, values as written.</summary>
public sealed record AliasEntry(string Name, string NumaPolicy, IReadOnlyList<JsonObject> Specs);

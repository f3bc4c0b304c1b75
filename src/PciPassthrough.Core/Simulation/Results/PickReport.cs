using System.Text.Json.Nodes;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>A device taken by the claim, in pick order, with the request it serves and its pool keys.</summary>
public sealed record PickReport(
    string Address,
    string VendorId,
    string ProductId,
    string DevType,
    Int128? NumaNode,
    string? ParentAddr,
    int RequestIndex,
    string? Alias,
    string? Port,
    JsonObject Pool);

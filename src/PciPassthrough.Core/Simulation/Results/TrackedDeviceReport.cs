using System.Text.Json.Nodes;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>A tracked device with its status, owner and matching spec (§4.3).</summary>
public sealed record TrackedDeviceReport(
    string Address,
    string VendorId,
    string ProductId,
    string DevType,
    Int128? NumaNode,
    string? ParentAddr,
    string Status,
    string? Instance,
    int? SpecIndex,
    JsonObject? Tags);

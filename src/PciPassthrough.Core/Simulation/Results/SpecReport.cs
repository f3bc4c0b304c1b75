using System.Text.Json.Nodes;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>One parsed <c>device_spec</c> (§4.3): ids are 4 hex digits or <c>*</c>; devname and tags keep their raw JSON values.</summary>
public sealed record SpecReport(
    int Index,
    int? ConfigIndex,
    string VendorId,
    string ProductId,
    JsonNode? Devname,
    SpecAddressReport? Address,
    JsonObject Tags);

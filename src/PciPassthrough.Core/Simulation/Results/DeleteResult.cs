using System.Text.Json;
using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>A delete (SIM-42, SIM-43): the host it ran on and the devices whose status changed, ascending.</summary>
public sealed record DeleteResult(int Index, JsonElement Name, string? Host, IReadOnlyList<string> ChangedDevices, PciError? Error)
    : StepResult(Index);

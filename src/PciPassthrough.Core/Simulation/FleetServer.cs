using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Simulation;

/// <summary>A server placed in a <see cref="Fleet"/>: the boot that placed it and, while it moves (resize, cold
/// migration), the source it still holds devices on.</summary>
/// <param name="Name">Unique in the fleet.</param>
/// <param name="Host">The host it runs on, or moves to.</param>
/// <param name="Boot">What was asked (flavor, image properties, ports).</param>
/// <param name="Request">What the API made of it.</param>
/// <param name="Placement">Order of placement in the fleet; a restarted host takes its servers back in this order.</param>
public sealed record FleetServer(string Name, string Host, ScenarioBoot Boot, ServerRequest Request, long Placement)
{
    /// <summary>The host of an unconfirmed move's source, else null.</summary>
    public string? SourceHost { get; init; }

    public ScenarioBoot? SourceBoot { get; init; }

    public ServerRequest? SourceRequest { get; init; }
}

namespace PciPassthrough.Server.Controller.Store;

/// <summary>A flavor: what a server asks for, with Nova's extra specs (a JSON object of strings).</summary>
public sealed class FlavorRow
{
    public required string Name { get; set; }
    public int Vcpus { get; set; }
    public int Ram { get; set; }
    public int Disk { get; set; }
    public int Ephemeral { get; set; }
    public int Swap { get; set; }
    public required string ExtraSpecs { get; set; }
}

/// <summary>An image: a name and its properties (a JSON object).</summary>
public sealed class ImageRow
{
    public required string Name { get; set; }
    public required string Properties { get; set; }
}

/// <summary>A Neutron-style port of a project; <see cref="Server"/> is the server it is bound to.</summary>
public sealed class PortRow
{
    public required string Id { get; set; }
    public required string Project { get; set; }
    public required string Name { get; set; }
    public required string VnicType { get; set; }
    public string? PhysicalNetwork { get; set; }
    public string? NetworkType { get; set; }
    public bool? Trusted { get; set; }
    public string? NumaAffinityPolicy { get; set; }
    public string? Server { get; set; }
}

/// <summary>A server as the API shows it. <see cref="Flavor"/>, <see cref="Image"/> and <see cref="Ports"/> are
/// snapshots taken at boot (and resize), so deleting a flavor never changes a running server.</summary>
public sealed class ServerRow
{
    public required string Id { get; set; }
    public required string Project { get; set; }
    public required string Name { get; set; }
    public required string Status { get; set; }
    public required string Host { get; set; }
    public string? SourceHost { get; set; }
    public string? DestHost { get; set; }

    /// <summary>The flavor in force (during a resize: the new one).</summary>
    public required string Flavor { get; set; }

    /// <summary>The flavor a revert goes back to, while the server is <c>VERIFY_RESIZE</c>.</summary>
    public string? OldFlavor { get; set; }

    public string? Image { get; set; }
    public required string Ports { get; set; }

    /// <summary>The engine's answer to the last boot or move (scenario-format boot result).</summary>
    public required string LastResult { get; set; }
}

/// <summary>A compute host: its scenario-format description and the last time its agent was heard.</summary>
public sealed class HostRow
{
    public required string Name { get; set; }
    public required string Description { get; set; }
    public long HeartbeatAtMs { get; set; }
}

/// <summary>One entry of the global event log. <see cref="Sequence"/> is the primary key, chosen by the writer as
/// "last one it has seen + 1": two replicas appending concurrently collide on it, and the loser re-reads.</summary>
public sealed class EventRow
{
    public long Sequence { get; set; }
    public required string Kind { get; set; }
    public required string Payload { get; set; }
}

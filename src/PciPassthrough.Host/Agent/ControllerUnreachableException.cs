namespace PciPassthrough.Host.Agent;

/// <summary>The controller gave no answer at all.</summary>
public sealed class ControllerUnreachableException(Uri controller, string reason, Exception inner)
    : Exception($"cannot reach the controller at {controller}: {reason}", inner);

namespace PciPassthrough.Cli.Commands;

/// <summary>The controller's answer ends the verb before its own request (e.g. no server has that name).</summary>
internal sealed class ControllerRefusalException(string message) : Exception(message);

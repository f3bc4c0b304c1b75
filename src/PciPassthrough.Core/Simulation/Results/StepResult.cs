namespace PciPassthrough.Core.Simulation.Results;

/// <summary>The result of one <c>requests</c> item: a <see cref="BootResult"/> or a <see cref="DeleteResult"/>.</summary>
public abstract record StepResult(int Index);

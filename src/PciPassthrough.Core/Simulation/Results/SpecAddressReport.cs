namespace PciPassthrough.Core.Simulation.Results;

/// <summary>A spec's address: <c>glob</c> fields normalised (01 DS-11) or <c>regex</c> texts as given.</summary>
public sealed record SpecAddressReport(string Kind, string Domain, string Bus, string Slot, string Function, bool IsPhysicalFunction);

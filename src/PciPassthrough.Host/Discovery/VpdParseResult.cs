namespace PciPassthrough.Host.Discovery;

/// <summary>What <see cref="VpdParser"/> found: a serial number (possibly none), or why the image is unusable.</summary>
public readonly record struct VpdParseResult
{
    private VpdParseResult(string? serialNumber, string? problem) => (SerialNumber, Problem) = (serialNumber, problem);

    /// <summary>The trimmed <c>SN</c> value of a well-formed image; null when it has none.</summary>
    public string? SerialNumber { get; }

    /// <summary>Why the image is malformed; null when it is well-formed.</summary>
    public string? Problem { get; }

    public static VpdParseResult Found(string? serialNumber) => new(serialNumber, null);

    public static VpdParseResult Malformed(string problem) => new(null, problem);
}

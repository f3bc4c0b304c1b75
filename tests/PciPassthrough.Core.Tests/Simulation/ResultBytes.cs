using System.Buffers;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Tests.Simulation;

internal static class ResultBytes
{
    /// <summary>What <c>pcictl simulate</c> writes for <paramref name="result"/>.</summary>
    public static byte[] Of(ScenarioResult result, bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ScenarioResultWriter.Write(buffer, result, indented);
        return buffer.WrittenSpan.ToArray();
    }
}

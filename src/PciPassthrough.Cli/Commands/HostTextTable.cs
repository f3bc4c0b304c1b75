namespace PciPassthrough.Cli.Commands;

/// <summary>Left-aligned columns separated by two spaces, never wrapped, so each row stays one greppable line.</summary>
internal static class HostTextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select((header, column) =>
            rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        WriteRow(output, headers, widths);
        foreach (var row in rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private static void WriteRow(TextWriter output, IReadOnlyList<string> cells, int[] widths) =>
        output.WriteLine(string.Join("  ", cells.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
}

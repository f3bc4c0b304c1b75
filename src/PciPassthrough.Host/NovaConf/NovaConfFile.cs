using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace PciPassthrough.Host.NovaConf;

/// <summary>
/// A <c>nova.conf</c> file as oslo.config reads it: every assignment in file order, and the lines it cannot read.
/// Values are raw text; <see cref="NovaConfOptions"/> is the typed view of the options PCI passthrough uses.
/// </summary>
/// <param name="File">The file name as the operator gave it.</param>
/// <param name="Entries">Every assignment, in file order; a key may appear many times.</param>
/// <param name="Errors">Lines that are not INI as oslo.config reads it (<see cref="NovaConfError.ParseErrorKind"/>).</param>
public sealed record NovaConfFile(string File, IReadOnlyList<NovaConfEntry> Entries, IReadOnlyList<NovaConfError> Errors)
{
    /// <summary>The one section name oslo.config does not lower-case.</summary>
    public const string DefaultSection = "DEFAULT";

    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read (or is a directory).</exception>
    public static NovaConfFile Read(string path) => Parse(System.IO.File.ReadAllBytes(path), path);

    /// <summary>
    /// Parses file content. oslo.config decodes it as UTF-8 and Nova stops at a byte that is not: that byte is
    /// reported at its line, and the rest is parsed with it replaced.
    /// </summary>
    public static NovaConfFile Parse(ReadOnlySpan<byte> bytes, string file)
    {
        var conf = NovaConfParser.Parse(Encoding.UTF8.GetString(bytes), file);
        if (Utf8.ToUtf16(bytes, new char[bytes.Length], out var valid, out _, replaceInvalidSequences: false)
            == OperationStatus.Done)
        {
            return conf;
        }

        var before = bytes[..valid];
        var line = 1 + before.Count((byte)'\n') + before.Count((byte)'\r') - before.Count("\r\n"u8);
        var error = new NovaConfError(new ConfLocation(file, line), NovaConfError.ParseErrorKind,
            $"byte 0x{bytes[valid]:x2} is not UTF-8: oslo.config reads nova.conf as UTF-8; save the file as UTF-8");
        return conf with { Errors = [.. conf.Errors.Prepend(error).OrderBy(e => e.Location.Line)] };
    }

    /// <summary>
    /// oslo.config lower-cases section names, except exactly <c>DEFAULT</c>: <c>[PCI]</c> is <c>[pci]</c>, but
    /// <c>[default]</c> is a section of its own that no option is read from. Names are not trimmed.
    /// </summary>
    public static string NormalizeSection(string section) =>
        section == DefaultSection ? section : section.ToLowerInvariant();

    /// <summary>The values of <paramref name="key"/> in <paramref name="section"/>, in file order.</summary>
    public IEnumerable<NovaConfEntry> Get(string section, string key)
    {
        var group = NormalizeSection(section);
        return Entries.Where(entry => entry.Key == key && entry.Group == group);
    }
}

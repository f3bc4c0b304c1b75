namespace PciPassthrough.Cli.Commands;

/// <summary>Why a file could not be read, in an operator's words: .NET says "could not find a part of the path" for a
/// missing file and "access denied" for a directory.</summary>
internal static class FileError
{
    public static string Reason(string path, Exception e) =>
        Directory.Exists(path) ? "it is a directory; give a file"
        : e is FileNotFoundException or DirectoryNotFoundException ? "no such file"
        : e.Message;
}

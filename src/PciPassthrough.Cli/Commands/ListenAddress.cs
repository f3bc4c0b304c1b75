using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>serve --listen HOST:PORT</c>, checked before Kestrel sees it: Kestrel reads a value without a port as
/// port 80 on every interface, and reports a port out of range or already taken with a stack trace.</summary>
internal static class ListenAddress
{
    public const string Expected = "expected HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:8780, 0.0.0.0:8780 " +
        "(every interface) or [::1]:8780; port 0 picks a free one";

    /// <summary>Why <paramref name="text"/> is no HOST:PORT, or null when it is one.</summary>
    public static string? Problem(string text) =>
        TrySplit(text, out _, out _) ? null : $"--listen '{text}': {Expected}.";

    /// <summary>Why nothing may listen on <paramref name="text"/> now (taken, or a privileged port), or null when a
    /// socket can be bound there.</summary>
    public static string? Unavailable(string text)
    {
        if (!TrySplit(text, out var host, out var port) || port == 0)
        {
            return null;
        }

        // a host name other than localhost makes Kestrel listen on every interface
        var address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? ip : IPAddress.Any;
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode == SocketError.AddressAlreadyInUse ? InUse(text) : $"--listen {text}: {e.Message.ToLowerInvariant()}";
        }
    }

    /// <summary>What to say when something else listens on <paramref name="text"/>.</summary>
    public static string InUse(string text) =>
        $"--listen {text}: address already in use (is another 'pcictl serve' running?); choose another port with --listen HOST:PORT";

    private static bool TrySplit(string text, out string host, out int port)
    {
        var colon = text.LastIndexOf(':');
        host = colon > 0 ? text[..colon] : "";
        port = 0;
        return colon > 0
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535
            && (host is "*" or "+" || (host.Contains(':', StringComparison.Ordinal)
                ? host.StartsWith('[') && host.EndsWith(']') && IPAddress.TryParse(host[1..^1], out _)
                : Uri.CheckHostName(host) != UriHostNameType.Unknown));
    }
}

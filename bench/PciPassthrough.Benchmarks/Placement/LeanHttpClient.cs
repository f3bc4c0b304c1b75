using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PciPassthrough.Benchmarks.Placement;

/// <summary>
/// The claim race's load generator: one keep-alive HTTP/1.1 connection that writes a request in one send and reads
/// just the status and framing of the answer, as wrk or h2load would. The writers stand in for Nova's schedulers on
/// other machines, but here they share the server's 2 cores: in a profile of the PostgreSQL race,
/// <see cref="HttpClient"/>'s frames took about a quarter of the process's samples, this one's about a twentieth.
/// </summary>
public sealed class LeanHttpClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly string _headers;
    private readonly byte[] _request = new byte[16 * 1024], _buffer = new byte[16 * 1024];
    private int _start, _end;

    private LeanHttpClient(Socket socket, Uri baseAddress)
    {
        _socket = socket;
        _headers = $"Host: {baseAddress.Authority}\r\nx-auth-token: admin\r\n" +
            "OpenStack-API-Version: placement latest\r\nContent-Type: application/json\r\n";
    }

    /// <summary>Connects to <paramref name="baseAddress"/>'s host and port; requests go under its path.</summary>
    public static async Task<LeanHttpClient> ConnectAsync(Uri baseAddress, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(baseAddress.Host), baseAddress.Port), cancellationToken);
        return new LeanHttpClient(socket, baseAddress);
    }

    /// <summary>Sends <c>PUT <paramref name="path"/></c> with a JSON body and returns the answer's status, having read
    /// (and dropped) its body.</summary>
    public async Task<HttpStatusCode> PutAsync(string path, string json, CancellationToken cancellationToken)
    {
        var length = Encoding.UTF8.GetBytes(
            $"PUT {path} HTTP/1.1\r\n{_headers}Content-Length: {Encoding.UTF8.GetByteCount(json)}\r\n\r\n{json}", _request);
        await _socket.SendAsync(_request.AsMemory(0, length), cancellationToken);
        return await ReadResponseAsync(cancellationToken);
    }

    private async Task<HttpStatusCode> ReadResponseAsync(CancellationToken cancellationToken)
    {
        var headerEnd = await FillUntilAsync("\r\n\r\n"u8.ToArray(), cancellationToken);
        var head = Encoding.ASCII.GetString(_buffer, _start, headerEnd - _start);
        _start = headerEnd + 4;
        var status = (HttpStatusCode)int.Parse(head.AsSpan(9, 3), provider: null);
        var lines = head.Split("\r\n");
        if (lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } length)
        {
            await SkipAsync(int.Parse(length.AsSpan("Content-Length:".Length), provider: null), cancellationToken);
        }
        else if (lines.Any(l => l.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)))
        {
            await SkipChunksAsync(cancellationToken);
        }

        return status;
    }

    /// <summary>Chunks until the empty last one (no trailers: Kestrel sends none).</summary>
    private async Task SkipChunksAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var lineEnd = await FillUntilAsync("\r\n"u8.ToArray(), cancellationToken);
            if (!Utf8Parser.TryParse(_buffer.AsSpan(_start, lineEnd - _start), out int size, out _, 'x'))
            {
                throw new InvalidDataException("malformed chunk size");
            }

            _start = lineEnd + 2;
            await SkipAsync(size + 2, cancellationToken);
            if (size == 0)
            {
                return;
            }
        }
    }

    private async Task SkipAsync(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            count -= _end - _start;
            _start = _end = 0;
            await ReceiveAsync(cancellationToken);
        }

        _start += count;
    }

    /// <summary>Receives until <paramref name="marker"/> is buffered; its index.</summary>
    private async Task<int> FillUntilAsync(byte[] marker, CancellationToken cancellationToken)
    {
        int at;
        while ((at = _buffer.AsSpan(_start, _end - _start).IndexOf(marker)) < 0)
        {
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                (_start, _end) = (0, _end - _start);
            }

            await ReceiveAsync(cancellationToken);
        }

        return _start + at;
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read > 0 ? read : throw new IOException("the server closed the connection");
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

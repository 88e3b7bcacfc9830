using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Evok.Orleans.OneWire;

/// <summary>
/// A client of owfs' owserver (TCP, port 4304 by default): one persistent connection, one request at a time (the
/// protocol has no request ids), keep-alive replies waited through, and a new connection after any failure. Every
/// message starts with six big-endian 32-bit words: version, payload length, type (reply: return code), flags, size,
/// offset. Reads ask for uncached values, so a sensor read is a real bus read.
/// </summary>
public sealed class OwserverClient(string host = OwserverClient.DefaultHost, int port = OwserverClient.DefaultPort) : IAsyncDisposable
{
    public const string DefaultHost = "127.0.0.1";

    public const int DefaultPort = 4304;

    /// <summary>bus_ret | persistence | uncached | ownet, device names as f.i.c, temperatures in Celsius (asyncowfs' flags).</summary>
    public const int Flags = 0x02000126;

    private const int HeaderLength = 24;
    private const int MaxReadSize = 8192;
    private const int KeepAlive = -1;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _header = new byte[HeaderLength];
    private TcpClient? _connection;
    private NetworkStream? _stream;

    /// <summary>How long one request may take, keep-alives included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    public string Endpoint => $"{host}:{port}";

    /// <summary>Reads a property (e.g. <c>/28.000028D70000.11/temperature</c>); owserver pads numbers with spaces, trimmed here.</summary>
    public async Task<string> ReadAsync(string path, CancellationToken cancellationToken = default) =>
        Encoding.ASCII.GetString(await RequestAsync(OwserverMessageType.Read, path, null, MaxReadSize, cancellationToken)).Trim().TrimEnd('\0');

    public async Task WriteAsync(string path, string value, CancellationToken cancellationToken = default) =>
        await RequestAsync(OwserverMessageType.Write, path, Encoding.ASCII.GetBytes(value), value.Length, cancellationToken);

    /// <summary>The entries of a directory as full paths (<c>/bus.0/28.000028D70000.11</c>, ...).</summary>
    public async Task<IReadOnlyList<string>> DirAllAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = Encoding.ASCII.GetString(await RequestAsync(OwserverMessageType.DirAll, path, null, 0, cancellationToken)).TrimEnd('\0');
        return text.Length == 0 ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>A no-op round trip: whether owserver answers.</summary>
    public async Task NopAsync(CancellationToken cancellationToken = default) =>
        await RequestAsync(OwserverMessageType.Nop, string.Empty, null, 0, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            Disconnect();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<byte[]> RequestAsync(OwserverMessageType type, string path, byte[]? value, int size, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            try
            {
                var stream = await ConnectedAsync(deadline.Token);
                await SendAsync(stream, type, path, value, size, deadline.Token);
                return await ReceiveAsync(stream, path, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Disconnect();
                throw new OwserverException($"owserver {Endpoint} did not answer {type} {path} within {Timeout.TotalSeconds:0.#} s") { TimedOut = true };
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
            {
                Disconnect();
                throw new OwserverException($"owserver {Endpoint}: {exception.Message}", exception);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<NetworkStream> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (_stream is not null)
        {
            return _stream;
        }

        var connection = new TcpClient { NoDelay = true };
        try
        {
            await connection.ConnectAsync(host, port, cancellationToken);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _connection = connection;
        return _stream = connection.GetStream();
    }

    private async Task SendAsync(NetworkStream stream, OwserverMessageType type, string path, byte[]? value, int size, CancellationToken cancellationToken)
    {
        var pathBytes = Encoding.ASCII.GetByteCount(path) + 1;
        var payload = pathBytes + (value?.Length ?? 0);
        var message = new byte[HeaderLength + payload];
        WriteHeader(message, payload, (int)type, size);
        Encoding.ASCII.GetBytes(path, message.AsSpan(HeaderLength));
        value?.CopyTo(message.AsSpan(HeaderLength + pathBytes));
        await stream.WriteAsync(message, cancellationToken);
    }

    private static void WriteHeader(Span<byte> message, int payload, int type, int size)
    {
        BinaryPrimitives.WriteInt32BigEndian(message, 0);
        BinaryPrimitives.WriteInt32BigEndian(message[4..], payload);
        BinaryPrimitives.WriteInt32BigEndian(message[8..], type);
        BinaryPrimitives.WriteInt32BigEndian(message[12..], Flags);
        BinaryPrimitives.WriteInt32BigEndian(message[16..], size);
        BinaryPrimitives.WriteInt32BigEndian(message[20..], 0);
    }

    private async Task<byte[]> ReceiveAsync(NetworkStream stream, string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            await stream.ReadExactlyAsync(_header, cancellationToken);
            var payload = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(4));
            var code = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(8));
            var size = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(16));
            var offset = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(20));
            if (payload == KeepAlive)
            {
                // owserver is still working on it (a slow bus): it says so, and the answer follows.
                continue;
            }

            if (payload < 0 || payload > 1 << 20)
            {
                Disconnect();
                throw new OwserverException($"owserver {Endpoint} sent a payload length of {payload}");
            }

            var body = new byte[payload];
            await stream.ReadExactlyAsync(body, cancellationToken);
            if (code < 0)
            {
                throw new OwserverException($"owserver {Endpoint} answered {path} with error {code}") { ErrorCode = code };
            }

            // A read's value is the last 'size' bytes of the payload, from 'offset'.
            return size > 0 && offset >= 0 && offset + size <= body.Length ? body.AsSpan(offset, size).ToArray() : body;
        }
    }

    private void Disconnect()
    {
        _stream?.Dispose();
        _connection?.Dispose();
        _stream = null;
        _connection = null;
    }
}

using System.Net.Sockets;
using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.Modbus.Tcp;

/// <summary>
/// One TCP connection to a Modbus server: sends frames, and pairs each response with its request by transaction id,
/// unit id and function code. A response for an id nobody waits for (a late reply) is dropped.
/// </summary>
internal sealed class ModbusTcpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly Dictionary<ushort, PendingRequest> _pending = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly Task _reader;
    private ushort _lastTransactionId;
    private int _abandoned;

    private ModbusTcpConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _lastTransactionId = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
        _reader = Task.Run(ReadLoopAsync);
    }

    public bool IsOpen => !_closed.IsCancellationRequested;

    public int AbandonedCount => Volatile.Read(ref _abandoned);

    public static async Task<ModbusTcpConnection> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await socket.ConnectAsync(host, port, deadline.Token);
            return new ModbusTcpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reserves the next transaction id that no outstanding or abandoned request holds.</summary>
    public (ushort TransactionId, PendingRequest Request) Register(byte unitId, byte function)
    {
        var request = new PendingRequest(unitId, function);
        lock (_gate)
        {
            for (var attempt = 0; attempt <= ushort.MaxValue; attempt++)
            {
                var id = unchecked(++_lastTransactionId);
                if (_pending.TryAdd(id, request))
                {
                    return (id, request);
                }
            }
        }

        throw new ModbusException("every transaction id is in use");
    }

    public void Forget(ushort transactionId)
    {
        lock (_gate)
        {
            _pending.Remove(transactionId);
        }
    }

    /// <summary>Marks a request as given up while keeping its id reserved until its late reply or the connection's end.</summary>
    public void Abandon(PendingRequest request)
    {
        lock (_gate)
        {
            if (!request.Abandoned && _pending.ContainsValue(request))
            {
                request.Abandoned = true;
                _abandoned++;
            }
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(frame, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            Close(exception);
            throw new ModbusConnectionException("the connection was lost while sending", exception);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Close(Exception reason)
    {
        List<PendingRequest> orphans;
        lock (_gate)
        {
            if (_closed.IsCancellationRequested)
            {
                return;
            }

            _closed.Cancel();
            orphans = [.. _pending.Values];
            _pending.Clear();
        }

        _socket.Dispose();
        var failure = reason as ModbusException ?? new ModbusConnectionException("the connection was closed", reason);
        foreach (var orphan in orphans)
        {
            orphan.Fail(failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close(new ObjectDisposedException(nameof(ModbusTcpConnection)));
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stream.DisposeAsync();
        _writeLock.Dispose();
        _closed.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var header = new byte[ModbusLimits.MbapHeaderLength];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(header, _closed.Token);
                var mbap = MbapHeader.Read(header);
                if (!mbap.IsValid)
                {
                    throw new ModbusProtocolException($"invalid MBAP header (protocol {mbap.ProtocolId}, length {mbap.Length})");
                }

                var pdu = new byte[mbap.PduLength];
                await _stream.ReadExactlyAsync(pdu, _closed.Token);
                Dispatch(mbap, pdu);
            }
        }
        catch (Exception exception)
        {
            Close(exception is EndOfStreamException ? new ModbusConnectionException("the server closed the connection", exception) : exception);
        }
    }

    private void Dispatch(MbapHeader header, byte[] pdu)
    {
        PendingRequest? request;
        lock (_gate)
        {
            if (!_pending.Remove(header.TransactionId, out request))
            {
                return;
            }

            if (request.Abandoned)
            {
                _abandoned--;
                return;
            }
        }

        if (header.UnitId != request.UnitId || (pdu[0] & 0x7F) != request.Function)
        {
            request.Fail(new ModbusProtocolException(
                $"response {header.TransactionId} is for unit {header.UnitId} function {pdu[0] & 0x7F}, not unit {request.UnitId} function {request.Function}"));
            return;
        }

        request.Complete(pdu);
    }
}

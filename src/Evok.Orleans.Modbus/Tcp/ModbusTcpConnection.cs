using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.Modbus.Tcp;

/// <summary>
/// One TCP connection to a Modbus server. Requests are written back to back (many frames per socket write) and
/// responses are read in bulk and paired with their requests by transaction id, unit id and function code; a
/// response for an id nobody waits for (a late reply) is dropped. One timer per connection expires the requests
/// whose deadline passed, instead of a timer per request. Every exchange handed to it completes exactly once.
/// The send path allocates nothing in the steady state (pooled async builders, one reused send buffer).
/// <para>
/// The socket is used only synchronously: by a thread of the connection's own that connects and then reads, and by
/// the senders' plain <c>send</c> calls. A socket used asynchronously even once is driven by .NET's socket engine,
/// where every readiness event wakes the engine's epoll thread and then a pool thread to run the continuation; a
/// server answers a pipelined scan in several writes (about 10 per tick at 64 boards), so at 50 scans a second that
/// was ~1 300 thread wake-ups a second where a reader blocked in <c>recv</c> needs ~600 (issue 16).
/// </para>
/// </summary>
internal sealed class ModbusTcpConnection : IAsyncDisposable
{
    private const int MaxFrameLength = ModbusLimits.MbapHeaderLength + ModbusLimits.MaxPduLength;

    private readonly ModbusTcpMasterOptions _options;
    private readonly SemaphoreSlim _window;
    private readonly Dictionary<ushort, InFlightRequest> _inFlight = [];
    private readonly List<ushort> _expiredIds = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _readerEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket? _socket;
    private ITimer? _sweeper;
    private byte[] _sendBuffer = new byte[4096];
    private ushort _lastTransactionId;
    private int _abandoned;

    /// <summary>When the send in progress started (<see cref="Environment.TickCount64"/>), 0 while none is.</summary>
    private long _sendingSince;

    private ModbusTcpConnection(ModbusTcpMasterOptions options, SemaphoreSlim window)
    {
        _options = options;
        _window = window;
        _lastTransactionId = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
    }

    public bool IsOpen => !_closed.IsCancellationRequested;

    private string Endpoint => $"{_options.Host}:{_options.Port}";

    /// <param name="window">Slots for requests in flight, taken per request and given back when it completes.</param>
    public static async Task<ModbusTcpConnection> ConnectAsync(ModbusTcpMasterOptions options, SemaphoreSlim window, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(options.Host, cancellationToken);
        var connection = new ModbusTcpConnection(options, window);
        new Thread(() => connection.Run(addresses, cancellationToken)) { IsBackground = true, Name = $"Modbus {options.Host}" }.Start();
        await connection._connected.Task;
        return connection;
    }

    /// <summary>
    /// Writes the requests back to back, in as few socket writes as the in-flight window allows. Every exchange
    /// completes exactly once: by its response, or through <see cref="ModbusExchange.OnFailure"/>.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(IReadOnlyList<ModbusExchange> exchanges, CancellationToken cancellationToken)
    {
        var registered = 0;
        try
        {
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                var length = 0;
                for (; registered < exchanges.Count; registered++)
                {
                    if (!_window.Wait(0))
                    {
                        // The window is full: put what is ready on the wire, then wait for answers to free a slot.
                        Write(length);
                        length = 0;
                        await _window.WaitAsync(cancellationToken);
                    }

                    length = Append(exchanges[registered], length);
                }

                Write(length);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception exception) when (exception is ModbusException or OperationCanceledException or ObjectDisposedException)
        {
            var failure = exception as ModbusException ?? new ModbusConnectionException("the request was not sent", exception);
            for (var i = registered; i < exchanges.Count; i++)
            {
                exchanges[i].OnFailure(failure);
            }
        }
    }

    public void Close(Exception reason)
    {
        List<ModbusExchange> orphans = [];
        lock (_gate)
        {
            if (_closed.IsCancellationRequested)
            {
                return;
            }

            _closed.Cancel();
            foreach (var request in _inFlight.Values)
            {
                if (!request.Abandoned)
                {
                    orphans.Add(request.Exchange);
                    _window.Release();
                }
            }

            _inFlight.Clear();
        }

        _sweeper?.Dispose();
        if (_socket is { } socket)
        {
            Abort(socket);
        }

        var failure = reason as ModbusException ?? new ModbusConnectionException("the connection was closed", reason);
        foreach (var orphan in orphans)
        {
            orphan.OnFailure(failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close(new ObjectDisposedException(nameof(ModbusTcpConnection)));
        await _readerEnded.Task;
        _writeLock.Dispose();
        _closed.Dispose();
    }

    /// <summary>Reserves a transaction id for the exchange (its window slot is taken) and appends its frame.</summary>
    private int Append(ModbusExchange exchange, int length)
    {
        if (_sendBuffer.Length - length < MaxFrameLength)
        {
            Array.Resize(ref _sendBuffer, _sendBuffer.Length * 2);
        }

        ushort transactionId;
        int pduLength;
        try
        {
            pduLength = exchange.WriteRequest(_sendBuffer.AsSpan(length + ModbusLimits.MbapHeaderLength, ModbusLimits.MaxPduLength));
            transactionId = Reserve(exchange);
        }
        catch
        {
            _window.Release();
            throw;
        }

        new MbapHeader(transactionId, 0, (ushort)(pduLength + 1), exchange.UnitId).Write(_sendBuffer.AsSpan(length));
        return length + ModbusLimits.MbapHeaderLength + pduLength;
    }

    /// <summary>The next transaction id that no outstanding or abandoned request holds.</summary>
    private ushort Reserve(ModbusExchange exchange)
    {
        var deadline = Environment.TickCount64 + (long)_options.RequestTimeout.TotalMilliseconds;
        lock (_gate)
        {
            if (_closed.IsCancellationRequested)
            {
                throw new ModbusConnectionException($"the connection to {Endpoint} was closed");
            }

            for (var attempt = 0; attempt <= ushort.MaxValue; attempt++)
            {
                var id = unchecked(++_lastTransactionId);
                if (_inFlight.TryAdd(id, new InFlightRequest(exchange, deadline)))
                {
                    return id;
                }
            }
        }

        throw new ModbusException("every transaction id is in use");
    }

    /// <summary>
    /// Puts the frames on the wire with a plain blocking <c>send</c>: a scan's batch is a few hundred bytes and the
    /// in-flight window bounds what can wait in the socket's buffer, so it returns at once. A server that stopped
    /// reading altogether would hold it: the sweeper closes the connection once a send took the request timeout.
    /// </summary>
    private void Write(int length)
    {
        try
        {
            Volatile.Write(ref _sendingSince, Environment.TickCount64);
            for (var sent = 0; sent < length;)
            {
                sent += _socket!.Send(_sendBuffer.AsSpan(sent, length - sent));
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Closing fails every request already registered, the ones just written included.
            var failure = new ModbusConnectionException("the connection was lost while sending", exception);
            Close(failure);
            throw failure;
        }
        finally
        {
            Volatile.Write(ref _sendingSince, 0);
        }
    }

    /// <summary>The connection's thread: connects, then reads until the connection is closed.</summary>
    private void Run(IPAddress[] addresses, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                _socket = Connect(addresses, cancellationToken);
            }
            catch (Exception exception)
            {
                _connected.SetException(exception);
                return;
            }

            var sweep = TimeSpan.FromTicks(Math.Clamp(_options.RequestTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerMillisecond * 250));
            _sweeper = TimeProvider.System.CreateTimer(static state => ((ModbusTcpConnection)state!).ExpireOverdue(), this, sweep, sweep);
            _connected.SetResult();
            ReadLoop(_socket);
        }
        finally
        {
            _readerEnded.SetResult();
        }
    }

    /// <summary>
    /// Connects to the first address that accepts within the connect timeout. The connect blocks; the deadline and
    /// cancellation end it by shutting the socket down (a socket disposed before its connect starts never connects).
    /// The socket must stay blocking, so neither <see cref="Socket.Blocking"/> nor .NET's socket timeouts are used.
    /// </summary>
    private Socket Connect(IPAddress[] addresses, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ConnectTimeout);
        Exception failure = new SocketException((int)SocketError.HostNotFound);
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using (deadline.Token.UnsafeRegister(static state => Abort((Socket)state!), socket))
                {
                    socket.Connect(address, _options.Port);
                }

                if (!deadline.IsCancellationRequested)
                {
                    return socket;
                }
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                failure = exception;
            }

            socket.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"no answer within {_options.ConnectTimeout.TotalMilliseconds} ms");
            }
        }

        throw failure;
    }

    /// <summary>Ends the socket's blocking calls: the shutdown wakes them (closing the descriptor alone does not, on Linux).</summary>
    private static void Abort(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Not connected (yet): the dispose below keeps it from connecting.
        }

        socket.Dispose();
    }

    private void ReadLoop(Socket socket)
    {
        // Room for many responses per socket read; a partial frame at the end waits for the rest.
        var buffer = new byte[16 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                var read = socket.Receive(buffer.AsSpan(filled));
                if (read == 0)
                {
                    throw new EndOfStreamException();
                }

                filled += read;
                var consumed = DispatchFrames(buffer.AsSpan(0, filled));
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        catch (Exception exception)
        {
            Close(exception is EndOfStreamException ? new ModbusConnectionException("the server closed the connection", exception) : exception);
        }
    }

    /// <summary>Dispatches every complete frame in <paramref name="data"/>; returns how many bytes they took.</summary>
    private int DispatchFrames(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        while (data.Length - offset >= ModbusLimits.MbapHeaderLength)
        {
            var header = MbapHeader.Read(data[offset..]);
            if (!header.IsValid)
            {
                throw new ModbusProtocolException($"invalid MBAP header (protocol {header.ProtocolId}, length {header.Length})");
            }

            var frameLength = ModbusLimits.MbapHeaderLength + header.PduLength;
            if (data.Length - offset < frameLength)
            {
                break;
            }

            Dispatch(header, data.Slice(offset + ModbusLimits.MbapHeaderLength, header.PduLength));
            offset += frameLength;
        }

        return offset;
    }

    private void Dispatch(MbapHeader header, ReadOnlySpan<byte> pdu)
    {
        InFlightRequest request;
        lock (_gate)
        {
            if (!_inFlight.Remove(header.TransactionId, out request))
            {
                return;
            }

            if (request.Abandoned)
            {
                _abandoned--;
                return;
            }

            _window.Release();
        }

        var exchange = request.Exchange;
        if (header.UnitId != exchange.UnitId || (pdu[0] & 0x7F) != (byte)exchange.Function)
        {
            exchange.OnFailure(new ModbusProtocolException(
                $"response {header.TransactionId} is for unit {header.UnitId} function {pdu[0] & 0x7F}, not unit {exchange.UnitId} function {(byte)exchange.Function}"));
            return;
        }

        try
        {
            exchange.OnResponse(pdu);
        }
        catch (ModbusException exception)
        {
            exchange.OnFailure(exception);
        }
    }

    /// <summary>
    /// Fails the requests whose deadline passed; their ids stay reserved until a late reply or the end. A send that
    /// has been blocked for as long closes the connection (the server reads nothing any more).
    /// </summary>
    private void ExpireOverdue()
    {
        var now = Environment.TickCount64;
        var sendingSince = Volatile.Read(ref _sendingSince);
        if (sendingSince != 0 && now - sendingSince >= (long)_options.RequestTimeout.TotalMilliseconds)
        {
            Close(new ModbusConnectionException($"{Endpoint} has not read a request for {_options.RequestTimeout.TotalMilliseconds} ms; reconnecting"));
            return;
        }

        List<ModbusExchange>? expired = null;
        bool recycle;
        lock (_gate)
        {
            foreach (var (id, request) in _inFlight)
            {
                if (!request.Abandoned && request.Deadline <= now)
                {
                    _expiredIds.Add(id);
                }
            }

            foreach (var id in _expiredIds)
            {
                ref var request = ref CollectionsMarshal.GetValueRefOrNullRef(_inFlight, id);
                request.Abandoned = true;
                _abandoned++;
                (expired ??= []).Add(request.Exchange);
                _window.Release();
            }

            _expiredIds.Clear();
            recycle = _abandoned > _options.MaxAbandonedRequests;
        }

        if (expired is null)
        {
            return;
        }

        foreach (var exchange in expired)
        {
            exchange.OnFailure(new ModbusTimeoutException(
                $"unit {exchange.UnitId} at {Endpoint} did not answer within {_options.RequestTimeout.TotalMilliseconds} ms"));
        }

        if (recycle)
        {
            Close(new ModbusConnectionException("too many requests went unanswered; reconnecting"));
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Ports;
using Evok.Orleans.Modbus.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Evok.Orleans.Modbus.Rtu;

/// <summary>
/// Modbus RTU master for one RS485 line. An RS485 line carries one transaction at a time, so every exchange — a
/// scan's reads, a write, its read-back — goes through one FIFO queue worked by one thread, which is the line's
/// order. Each frame is sent after the line was silent for 3.5 characters; an answer with a bad CRC, from another
/// slave or for another function is discarded, never decoded, and the request is sent again (<see
/// cref="ModbusRtuMasterOptions.Retries"/>). The reads a scan hands over together are one batch: when a slave does
/// not answer one of them, the rest of its batch fails at once instead of each waiting a timeout, so a dead slave
/// costs the other slaves one timeout per round. A port that is missing or not permitted (a USB adapter unplugged)
/// fails what is queued, is logged once and opened again with back-off.
/// </summary>
public sealed partial class ModbusRtuMaster : ModbusMaster
{
    private const int MaxFrame = 256;

    private readonly ModbusRtuMasterOptions _options;
    private readonly ILogger _logger;
    private readonly BlockingCollection<QueuedExchange> _queue = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _worker;
    private readonly HashSet<byte> _silentUnits = [];
    private readonly byte[] _request = new byte[MaxFrame];
    private readonly byte[] _response = new byte[MaxFrame];
    private readonly long _silenceTicks;
    private SerialPort? _port;
    private long _lineFreeAt;
    private long _nextOpenAt;
    private TimeSpan _reopenDelay;
    private bool _outageReported;
    private long _batch;
    private (long Batch, byte Unit, ModbusException Failure)? _failedBatch;
    private bool _disposed;
    private long _transactions;
    private long _discardedFrames;
    private long _timeouts;

    public ModbusRtuMaster(ModbusRtuMasterOptions options, ILogger<ModbusRtuMaster>? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger<ModbusRtuMaster>.Instance;
        BitsPerCharacter = RtuTiming.BitsPerCharacter(options.Parity, options.StopBits);
        _silenceTicks = (long)(RtuTiming.FrameSilence(options.BaudRate, BitsPerCharacter).TotalSeconds * Stopwatch.Frequency);
        _worker = new Thread(Work) { IsBackground = true, Name = $"Modbus RTU {options.Port}" };
        _worker.Start();
    }

    public string Port => _options.Port;

    public double BitsPerCharacter { get; }

    /// <summary>Transactions answered since start.</summary>
    public long Transactions => Volatile.Read(ref _transactions);

    /// <summary>Garbled answers (bad CRC, wrong slave or function, truncated) discarded since start.</summary>
    public long DiscardedFrames => Volatile.Read(ref _discardedFrames);

    /// <summary>Requests that got no answer at all since start.</summary>
    public long Timeouts => Volatile.Read(ref _timeouts);

    public override ValueTask SendAsync(IReadOnlyList<ModbusExchange> exchanges, CancellationToken cancellationToken = default)
    {
        var batch = Interlocked.Increment(ref _batch);
        for (var i = 0; i < exchanges.Count; i++)
        {
            if (_disposed || !_queue.TryAdd(new QueuedExchange(exchanges[i], batch)))
            {
                exchanges[i].OnFailure(new ModbusConnectionException($"{Port} is closed"));
            }
        }

        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _queue.CompleteAdding();
        await _stopping.CancelAsync();
        await Task.Run(() => _worker.Join(TimeSpan.FromSeconds(5)));
        foreach (var queued in _queue)
        {
            queued.Exchange.OnFailure(new ModbusConnectionException($"{Port} is closed"));
        }

        _port?.Dispose();
    }

    private void Work()
    {
        try
        {
            foreach (var queued in _queue.GetConsumingEnumerable(_stopping.Token))
            {
                Transact(queued);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Transact(QueuedExchange queued)
    {
        var exchange = queued.Exchange;
        if (_failedBatch is { } failed && failed.Batch == queued.Batch && failed.Unit == exchange.UnitId)
        {
            exchange.OnFailure(failed.Failure);
            return;
        }

        if (Open() is not { } port)
        {
            exchange.OnFailure(new ModbusConnectionException($"serial port {Port} is not open; next attempt in {Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _nextOpenAt).TotalMilliseconds:0} ms"));
            return;
        }

        var length = exchange.WriteRequest(_request.AsSpan(1, MaxFrame - 3)) + 1;
        _request[0] = exchange.UnitId;
        length = ModbusCrc.Append(_request, length);
        var attempts = _silentUnits.Contains(exchange.UnitId) ? 1 : 1 + _options.Retries;
        ModbusException failure = new ModbusTimeoutException($"no answer from slave {exchange.UnitId} on {Port} within {_options.Timeout.TotalMilliseconds:0} ms");
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            try
            {
                RtuTiming.WaitUntil(_lineFreeAt);
                port.DiscardInBuffer();
                port.BaseStream.Write(_request, 0, length);
                var sentAt = Stopwatch.GetTimestamp();
                var answer = ReadResponse(port, exchange, sentAt);
                _lineFreeAt = Stopwatch.GetTimestamp() + _silenceTicks;
                if (answer is null)
                {
                    continue;
                }

                Interlocked.Increment(ref _transactions);
                _silentUnits.Remove(exchange.UnitId);
                Complete(exchange, answer.Value);
                return;
            }
            catch (TimeoutException)
            {
                Interlocked.Increment(ref _timeouts);
                _lineFreeAt = Stopwatch.GetTimestamp() + _silenceTicks;
                failure = new ModbusTimeoutException($"no answer from slave {exchange.UnitId} on {Port} within {_options.Timeout.TotalMilliseconds:0} ms");
            }
            catch (Exception exception) when (exception is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                Close(exception.Message);
                exchange.OnFailure(new ModbusConnectionException($"serial port {Port} failed: {exception.Message}", exception));
                return;
            }
        }

        if (failure is ModbusTimeoutException)
        {
            _silentUnits.Add(exchange.UnitId);
        }

        _failedBatch = (queued.Batch, exchange.UnitId, failure);
        exchange.OnFailure(failure);
    }

    /// <summary>Reads one answer: its PDU, or null when it was garbled (discarded after the line fell silent).</summary>
    private ArraySegment<byte>? ReadResponse(SerialPort port, ModbusExchange exchange, long sentAt)
    {
        var deadline = sentAt + (long)(_options.Timeout.TotalSeconds * Stopwatch.Frequency);
        var count = 0;
        var expected = 5; // the shortest answer: an exception reply
        while (count < expected)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero)
            {
                if (count == 0)
                {
                    throw new TimeoutException();
                }

                // A truncated frame: something answered, but not a whole frame.
                return Discard(port);
            }

            port.ReadTimeout = Math.Max(1, (int)Math.Ceiling(remaining.TotalMilliseconds));
            try
            {
                count += port.Read(_response, count, expected - count);
            }
            catch (TimeoutException) when (count > 0)
            {
                return Discard(port);
            }

            if (count >= 3 && ExpectedLength(_response) is var total)
            {
                if (total is < 5 or > MaxFrame)
                {
                    return Discard(port);
                }

                expected = total;
            }
        }

        var frame = _response.AsSpan(0, count);
        var function = (byte)exchange.Function;
        if (!ModbusCrc.IsValid(frame) || frame[0] != exchange.UnitId || (frame[1] & 0x7F) != function)
        {
            return Discard(port);
        }

        return new ArraySegment<byte>(_response, 1, count - 3);
    }

    /// <summary>The length of a whole answer from its first three bytes; 0 for a function no master request has.</summary>
    private static int ExpectedLength(ReadOnlySpan<byte> head) => head[1] switch
    {
        >= 0x80 => 5,
        (byte)ModbusFunctionCode.ReadCoils or (byte)ModbusFunctionCode.ReadDiscreteInputs or
        (byte)ModbusFunctionCode.ReadHoldingRegisters or (byte)ModbusFunctionCode.ReadInputRegisters => 3 + head[2] + 2,
        (byte)ModbusFunctionCode.WriteSingleCoil or (byte)ModbusFunctionCode.WriteSingleRegister or
        (byte)ModbusFunctionCode.WriteMultipleCoils or (byte)ModbusFunctionCode.WriteMultipleRegisters => 8,
        _ => 0,
    };

    /// <summary>Drops a garbled answer: waits until the line is silent, then throws away whatever came.</summary>
    private ArraySegment<byte>? Discard(SerialPort port)
    {
        Interlocked.Increment(ref _discardedFrames);
        Thread.Sleep(Math.Max(2, (int)Math.Ceiling(4 * _silenceTicks * 1000.0 / Stopwatch.Frequency)));
        port.DiscardInBuffer();
        return null;
    }

    private static void Complete(ModbusExchange exchange, ArraySegment<byte> pdu)
    {
        try
        {
            exchange.OnResponse(pdu);
        }
        catch (ModbusException exception)
        {
            exchange.OnFailure(exception);
        }
    }

    private SerialPort? Open()
    {
        if (_port is { IsOpen: true } open)
        {
            return open;
        }

        if (Stopwatch.GetTimestamp() < _nextOpenAt)
        {
            return null;
        }

        var port = new SerialPort(_options.Port, _options.BaudRate, _options.Parity, 8, _options.StopBits)
        {
            Handshake = Handshake.None,
            ReadBufferSize = 4096,
            WriteTimeout = 1000,
        };
        try
        {
            port.Open();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            _reopenDelay = _reopenDelay == TimeSpan.Zero
                ? _options.MinReopenDelay
                : TimeSpan.FromTicks(Math.Min(_reopenDelay.Ticks * 2, _options.MaxReopenDelay.Ticks));
            _nextOpenAt = Stopwatch.GetTimestamp() + (long)(_reopenDelay.TotalSeconds * Stopwatch.Frequency);
            if (!_outageReported)
            {
                _outageReported = true;
                LogOpenFailed(Port, exception.Message);
            }

            return null;
        }

        _reopenDelay = TimeSpan.Zero;
        if (_outageReported)
        {
            _outageReported = false;
            LogReopened(Port);
        }

        _port = port;
        _lineFreeAt = Stopwatch.GetTimestamp() + _silenceTicks;
        return port;
    }

    private void Close(string reason)
    {
        _port?.Dispose();
        _port = null;
        _nextOpenAt = Stopwatch.GetTimestamp() + (long)(_options.MinReopenDelay.TotalSeconds * Stopwatch.Frequency);
        if (!_outageReported)
        {
            _outageReported = true;
            LogOpenFailed(Port, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Serial port {Port} cannot be used: {Reason}; its slaves are offline, retrying with back-off")]
    private partial void LogOpenFailed(string port, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serial port {Port} open again")]
    private partial void LogReopened(string port);

    private readonly record struct QueuedExchange(ModbusExchange Exchange, long Batch);
}

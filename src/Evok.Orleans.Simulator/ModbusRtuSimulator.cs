using System.Collections.Frozen;
using System.Diagnostics;
using System.IO.Ports;
using Evok.Orleans.Modbus.Protocol;
using Evok.Orleans.Modbus.Rtu;

namespace Evok.Orleans.Simulator;

/// <summary>
/// Simulated boards as Modbus RTU slaves on a serial device (in tests, one end of a <c>socat</c> pty pair). Like
/// slaves on a real RS485 line it answers only requests for its units with an intact CRC and stays silent
/// otherwise (an offline board too). A pty moves bytes at once, so with <see cref="EmulateLineTiming"/> each answer
/// is held back until it would have arrived on a real line at the configured baud rate (request on the wire,
/// 3.5-character silence, answer on the wire): what a master achieves against it is comparable with the wire limit.
/// </summary>
public sealed class ModbusRtuSimulator : IAsyncDisposable
{
    private readonly FrozenDictionary<byte, SimulatedBoard> _boards;
    private readonly SerialPort _port;
    private readonly double _bitsPerCharacter;
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _thread;
    private int _corruptAnswers;
    private int _truncateAnswers;
    private long _answered;

    public ModbusRtuSimulator(IEnumerable<SimulatedBoard> boards, string port, int baudRate = 19200, Parity parity = Parity.None, StopBits stopBits = StopBits.One)
    {
        _boards = boards.ToFrozenDictionary(board => board.UnitId);
        _port = new SerialPort(port, baudRate, parity, 8, stopBits) { ReadTimeout = 100, Handshake = Handshake.None };
        _bitsPerCharacter = RtuTiming.BitsPerCharacter(parity, stopBits);
    }

    public IReadOnlyDictionary<byte, SimulatedBoard> Boards => _boards;

    public SimulatedBoard this[byte unitId] => _boards[unitId];

    /// <summary>Hold each answer back as long as a real line at the baud rate would take.</summary>
    public bool EmulateLineTiming { get; set; }

    /// <summary>Requests answered so far.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Line noise: the next <paramref name="count"/> answers get one byte flipped (so their CRC fails).</summary>
    public void CorruptNextAnswers(int count) => Interlocked.Exchange(ref _corruptAnswers, count);

    /// <summary>Line noise: the next <paramref name="count"/> answers lose their last bytes.</summary>
    public void TruncateNextAnswers(int count) => Interlocked.Exchange(ref _truncateAnswers, count);

    public void Start()
    {
        _port.Open();
        _thread = new Thread(Serve) { IsBackground = true, Name = $"Modbus RTU simulator {_port.PortName}" };
        _thread.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_thread is not null)
        {
            await Task.Run(() => _thread.Join(TimeSpan.FromSeconds(5)));
        }

        _port.Dispose();
    }

    private void Serve()
    {
        var request = new byte[260];
        var answer = new byte[260];
        var count = 0;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                count += _port.Read(request, count, request.Length - count);
            }
            catch (TimeoutException)
            {
                // A silence: whatever came is not a whole request.
                count = 0;
                continue;
            }
            catch (Exception exception) when (exception is IOException or InvalidOperationException or OperationCanceledException)
            {
                return;
            }

            var arrivedAt = Stopwatch.GetTimestamp();
            while (count >= 8 && RequestLength(request) is var length && length <= count)
            {
                if (length == 0 || !ModbusCrc.IsValid(request.AsSpan(0, length)))
                {
                    // Garbage: drop what came and wait for the line to go silent.
                    count = 0;
                    break;
                }

                Answer(request.AsSpan(0, length), answer, arrivedAt);
                request.AsSpan(length, count - length).CopyTo(request);
                count -= length;
            }
        }
    }

    private void Answer(ReadOnlySpan<byte> request, byte[] answer, long arrivedAt)
    {
        if (!_boards.TryGetValue(request[0], out var board) || board.Offline)
        {
            return;
        }

        answer[0] = request[0];
        var length = ModbusRequestHandler.Handle(board, request[1..^2], answer.AsSpan(1)) + 1;
        length = ModbusCrc.Append(answer, length);
        if (EmulateLineTiming)
        {
            var wire = RtuTiming.FrameTime(request.Length + length, _port.BaudRate, _bitsPerCharacter)
                + RtuTiming.FrameSilence(_port.BaudRate, _bitsPerCharacter);
            RtuTiming.WaitUntil(arrivedAt + (long)(wire.TotalSeconds * Stopwatch.Frequency));
        }

        if (Volatile.Read(ref _corruptAnswers) > 0 && Interlocked.Decrement(ref _corruptAnswers) >= 0)
        {
            answer[length / 2] ^= 0x5A;
        }

        if (Volatile.Read(ref _truncateAnswers) > 0 && Interlocked.Decrement(ref _truncateAnswers) >= 0)
        {
            length -= 3;
        }

        _port.BaseStream.Write(answer, 0, length);
        Interlocked.Increment(ref _answered);
    }

    /// <summary>The length of a whole request from its first bytes; 0 for a function the simulator does not serve.</summary>
    private static int RequestLength(ReadOnlySpan<byte> head) => head[1] switch
    {
        (byte)ModbusFunctionCode.WriteMultipleCoils or (byte)ModbusFunctionCode.WriteMultipleRegisters => 7 + head[6] + 2,
        >= 1 and <= 6 => 8,
        _ => 0,
    };
}

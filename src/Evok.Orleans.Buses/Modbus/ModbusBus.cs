using System.Collections.Immutable;
using System.Diagnostics;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;
using Evok.Orleans.Modbus;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Buses.Modbus;

/// <summary>
/// One Modbus bus (a TCP connection or an RS485 line) and everything that goes over it: the scans of every board,
/// the writes and their read-backs. All of it goes through the bus's one master, whose send queue is the bus's one
/// order (TCP: the connection, which the server answers in order; RTU: the line's transaction queue). Every read
/// takes its place in that order from <see cref="NextSequence"/> when it is handed to the master, and a board's
/// image keeps, per block, only the read latest in that order: a read-back takes its number after its write was
/// answered, so a scan read that may have seen the old value always has a lower one and can never overwrite it.
/// <para>
/// Scanning runs from one loop: on each tick the reads of every due board go to the master back to back (over TCP
/// in one socket write); answers are compared with the image as they arrive, and a board's poller hears only of
/// changed blocks and of the board going offline or coming back. A board whose last scan is still unanswered at its
/// tick scans as soon as it is answered, at the end of the queue, so boards on a saturated line share it fairly.
/// </para>
/// </summary>
public sealed partial class ModbusBus : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BoardScan> _boards = new(StringComparer.Ordinal);
    private readonly List<ModbusExchange> _due = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly IPipelinedModbusMaster _master;
    private readonly ILogger _logger;
    private ScanTicker? _ticker;
    private Task _loop = Task.CompletedTask;
    private long _sequence;
    private long _rateWindowStart = Stopwatch.GetTimestamp();
    private bool _overloadReported;
    private bool _firstWindowClosed;

    public ModbusBus(CommChannelConfiguration channel, IPipelinedModbusMaster master, TimeSpan maxBackoff, ILogger logger)
    {
        Name = channel.Name;
        Description = channel.Specification;
        ModbusType = channel.ModbusType;
        _master = master;
        _logger = logger;
        MaxBackoff = maxBackoff;
    }

    /// <summary>The channel's name in config.yaml.</summary>
    public string Name { get; }

    /// <summary>What the bus is, for logs and <c>modbus_spec</c>: a host name or a serial port.</summary>
    public string Description { get; }

    /// <summary>Evok's <c>modbus_type</c>: <c>TCP</c> or <c>RTU</c>.</summary>
    public string ModbusType { get; }

    /// <summary>The longest a failing board waits between two scans.</summary>
    public TimeSpan MaxBackoff { get; }

    /// <summary>Starts scanning a board (again, with the same scan state, if it was scanned before).</summary>
    public BoardScan Attach(BoardMap board, Func<ModbusScanReport, Task> report)
    {
        lock (_gate)
        {
            if (!_boards.TryGetValue(board.Name, out var scan))
            {
                scan = _boards[board.Name] = new BoardScan(board, report, this, _gate);
            }

            var tick = board.Device.ScanInterval;
            if (_ticker is null)
            {
                _ticker = new ScanTicker(tick, $"Modbus scan {Name}");
                _loop = Task.Run(ScanLoopAsync);
            }
            else if (tick < _ticker.Period)
            {
                _ticker.Period = tick;
            }

            return scan;
        }
    }

    /// <summary>
    /// Performs a board's writes in order, then reads back the given blocks, each read taking its place in the bus's
    /// order after the writes were answered. The read-back values go into the board's image and are returned.
    /// </summary>
    public async Task<ImmutableArray<ScannedBlock>> ExecuteAsync(
        BoardScan scan, IReadOnlyList<ModbusWrite> writes, ImmutableArray<int> readBack, CancellationToken cancellationToken = default)
    {
        var unit = scan.Board.Device.SlaveId;
        foreach (var write in writes)
        {
            switch (write.Kind)
            {
                case ModbusWriteKind.Coil:
                    await _master.WriteSingleCoilAsync(unit, write.Address, write.Values[0] != 0, cancellationToken);
                    break;
                case ModbusWriteKind.Register:
                    await _master.WriteSingleRegisterAsync(unit, write.Address, write.Values[0], cancellationToken);
                    break;
                default:
                    await _master.WriteMultipleRegistersAsync(unit, write.Address, [.. write.Values], cancellationToken);
                    break;
            }
        }

        var blocks = ImmutableArray.CreateBuilder<ScannedBlock>(readBack.Length);
        foreach (var index in readBack)
        {
            var block = scan.Board.Blocks[index];
            var values = new ushort[block.Count];
            var sequence = NextSequence();
            if (block.Kind == RegisterBlockKind.Input)
            {
                await _master.ReadInputRegistersAsync(unit, (ushort)block.Start, values, cancellationToken);
            }
            else
            {
                await _master.ReadHoldingRegistersAsync(unit, (ushort)block.Start, values, cancellationToken);
            }

            scan.OnReadBack(index, sequence, values);
            blocks.Add(new ScannedBlock(index, sequence, [.. values]));
        }

        return blocks.MoveToImmutable();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        ScanTicker? ticker;
        lock (_gate)
        {
            ticker = _ticker;
        }

        // Ends the wait for the next tick at once (a board scanned once a minute would otherwise hold the stop up).
        ticker?.Dispose();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>The next place in the bus's order; taken for a read just before it is handed to the master.</summary>
    internal long NextSequence()
    {
        lock (_gate)
        {
            return ++_sequence;
        }
    }

    /// <summary>Takes a place under the bus lock, which the caller holds.</summary>
    internal long NextSequenceLocked() => ++_sequence;

    /// <summary>Sends the scan of a board that missed its tick, as soon as its previous scan was answered.</summary>
    internal void SendCatchUp(List<ModbusExchange> reads) => _ = SendAsync(reads);

    private async Task SendAsync(List<ModbusExchange> reads) => await _master.SendAsync(reads, _stopping.Token);

    private async Task ScanLoopAsync()
    {
        try
        {
            do
            {
                var now = Stopwatch.GetTimestamp();
                lock (_gate)
                {
                    // Half a tick of slack, so that a board whose schedule is a little ahead of the tick is not skipped.
                    var tolerance = (long)(_ticker!.Period.TotalSeconds * Stopwatch.Frequency / 2);
                    foreach (var scan in _boards.Values)
                    {
                        scan.StartIfDue(now, tolerance, _due);
                    }

                    CheckCapacity(now);
                }

                if (_due.Count > 0)
                {
                    await _master.SendAsync(_due, _stopping.Token);
                    _due.Clear();
                }
            }
            while (!_stopping.IsCancellationRequested && await _ticker!.WaitForNextTickAsync());
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Every few seconds, each board's achieved scan rate; a bus that cannot give its boards the rate they ask for
    /// (an RS485 line too slow for the scan_frequency of its slaves) says so once.
    /// </summary>
    private void CheckCapacity(long now)
    {
        var elapsed = Stopwatch.GetElapsedTime(_rateWindowStart, now);
        if (elapsed < BoardScan.RateWindow)
        {
            return;
        }

        _rateWindowStart = now;
        var starved = 0;
        var asked = 0.0;
        var achieved = 0.0;
        foreach (var scan in _boards.Values)
        {
            // A board asking for all the bus can give (scan_frequency: 0) is never short of its rate.
            var online = scan.CloseRateWindow(elapsed);
            if (!online || scan.Board.Device.AsFastAsTheBusAllows)
            {
                continue;
            }

            if (scan.MissedTicks)
            {
                starved++;
            }

            asked += scan.Board.Device.ScanFrequency;
            achieved += scan.ScansPerSecond;
        }

        // The first window holds the silo's start (JIT, the first activations), when every bus is late for a few
        // ticks: judged from it, the first run of the built-in simulator warned of a bus that keeps up perfectly.
        if (starved > 0 && !_overloadReported && _firstWindowClosed)
        {
            _overloadReported = true;
            LogOverloaded(Name, Description, asked, achieved, starved);
        }

        _firstWindowClosed = true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bus {Bus} ({Description}) cannot keep up: its boards ask for {Asked:0.#} scans/s in all and get {Achieved:0.#}; {Boards} board(s) scan below their scan_frequency (see /status for each one's rate)")]
    private partial void LogOverloaded(string bus, string description, double asked, double achieved, int boards);
}

using System.Collections.Immutable;
using System.Diagnostics;
using Evok.Orleans.Abstractions.Diagnostics;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;
using Evok.Orleans.Modbus;

namespace Evok.Orleans.Buses.Modbus;

/// <summary>
/// The scanning of one board on its bus: when it is due, which blocks a scan reads, the registers as last read,
/// and what its poller grain has not been told yet. An unchanged board costs a compare per block and allocates
/// nothing; the poller hears only of changed blocks and of the board going offline or coming back, one report at a
/// time and in order. A failing board is scanned less often, interval x 2^errors like Evok, but capped at the bus's
/// <see cref="ModbusBus.MaxBackoff"/> (1 s on TCP instead of Evok's 120 s, so that a board that comes back is noticed
/// within a second or two). All members but the counters are guarded by the bus's lock.
/// </summary>
public sealed class BoardScan
{
    /// <summary>How long the achieved scan rate is counted over.</summary>
    internal static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    private readonly Lock _gate;
    private readonly ModbusBus _bus;
    private readonly Func<ModbusScanReport, Task> _report;
    private readonly long _maxBackoff;
    private readonly int[][] _runs;
    private readonly BlockRead[] _reads;
    private readonly ushort[] _image;
    private readonly long[] _sequences;
    private readonly bool[] _undelivered;
    private readonly KeyValuePair<string, object?> _tag;
    private readonly List<ModbusExchange> _catchUp = [];
    private long _scanNumber;
    private bool _tickMissed;
    private int _outstanding;
    private ModbusException? _failure;
    private string? _failureReason;
    private long _startedAt;
    private long _retryAt;
    private int _consecutiveErrors;
    private int _consecutiveGood;
    private int _outageScans;
    private int _outageFailures;
    private bool? _online;
    private bool _statusPending;
    private bool _delivering;
    private long _scans;
    private long _failedScans;
    private long _lastCommunicationTicks;
    private double _lastScanMilliseconds;
    private long _windowScans;
    private long _uncountedScans;
    private long _scansCountedAt;
    private int _windowMissedTicks;
    private double _scansPerSecond;

    internal BoardScan(BoardMap board, Func<ModbusScanReport, Task> report, ModbusBus bus, Lock gate)
    {
        Board = board;
        _report = report;
        _bus = bus;
        _gate = gate;
        _runs = Runs(board, board.Device.CoalesceReads);
        _reads = [.. _runs.Select(run => new BlockRead(this, run))];
        _image = new ushort[board.ImageSize];
        Incoming = new ushort[board.ImageSize];
        _sequences = new long[board.Blocks.Length];

        // The poller knows nothing yet: the first good scan tells it every block.
        _undelivered = [.. board.Blocks.Select(_ => true)];
        _tag = new("device", board.Name);
        Interval = (long)(board.Device.ScanInterval.TotalSeconds * Stopwatch.Frequency);
        _startedAt = -Interval; // so the first tick finds the board due
        _maxBackoff = Math.Max((long)(bus.MaxBackoff.TotalSeconds * Stopwatch.Frequency), Interval);
    }

    public BoardMap Board { get; }

    /// <summary>The most registers one read request may ask for (Modbus: 125).</summary>
    private const int MaxRegistersPerRead = 125;

    /// <summary>
    /// The board's blocks in runs that one request can read: of one kind, in address order, each starting where the
    /// one before ends, together at most <see cref="MaxRegistersPerRead"/>. Every register of a run belongs to a
    /// block of the definition, so a coalesced read asks for nothing the board does not have. Without coalescing,
    /// every block is a run of its own, read by itself as Evok does.
    /// </summary>
    private static int[][] Runs(BoardMap board, bool coalesce)
    {
        var blocks = board.Blocks;
        var ordered = Enumerable.Range(0, blocks.Length).OrderBy(index => blocks[index].Kind).ThenBy(index => blocks[index].Start);
        var runs = new List<List<int>>();
        foreach (var index in ordered)
        {
            var block = blocks[index];
            if (coalesce && runs.Count > 0 && blocks[runs[^1][^1]] is var previous && blocks[runs[^1][0]] is var first
                && previous.Kind == block.Kind && previous.Start + previous.Count == block.Start
                && block.Start + block.Count - first.Start <= MaxRegistersPerRead)
            {
                runs[^1].Add(index);
            }
            else
            {
                runs.Add([index]);
            }
        }

        return [.. runs.Select(run => run.ToArray())];
    }

    /// <summary>The bus this board is scanned on.</summary>
    public ModbusBus Bus => _bus;

    /// <summary>Scans per second achieved over the last few seconds (what a saturated RS485 line really gives).</summary>
    public double ScansPerSecond => Volatile.Read(ref _scansPerSecond);

    /// <summary>Whether the board's scans were late for their tick in the last window (its bus is saturated).</summary>
    internal bool MissedTicks { get; private set; }

    public long Scans => Volatile.Read(ref _scans);

    public long FailedScans => Volatile.Read(ref _failedScans);

    public double LastScanMilliseconds => Volatile.Read(ref _lastScanMilliseconds);

    public DateTimeOffset? LastCommunication => Volatile.Read(ref _lastCommunicationTicks) is > 0 and var ticks
        ? new DateTimeOffset(ticks, TimeSpan.Zero)
        : null;

    /// <summary>Where a scan's responses land before they are compared with the image.</summary>
    internal ushort[] Incoming { get; }

    /// <summary>The scan interval in <see cref="Stopwatch"/> ticks.</summary>
    internal long Interval { get; }

    /// <summary>Performs writes on this board and reads back blocks, in the bus's order (see <see cref="ModbusBus"/>).</summary>
    public Task<ImmutableArray<ScannedBlock>> ExecuteAsync(
        IReadOnlyList<ModbusWrite> writes, ImmutableArray<int> readBack, CancellationToken cancellationToken = default) =>
        _bus.ExecuteAsync(this, writes, readBack, cancellationToken);

    /// <summary>A write's read-back: the poller gets it as the write's result, so it is not reported again.</summary>
    internal void OnReadBack(int index, long sequence, ReadOnlySpan<ushort> values)
    {
        lock (_gate)
        {
            if (sequence > _sequences[index])
            {
                _sequences[index] = sequence;
                values.CopyTo(_image.AsSpan(Board.Blocks[index].ImageStart, values.Length));
            }
        }
    }

    /// <summary>Ends a rate window: returns whether the board is online.</summary>
    internal bool CloseRateWindow(TimeSpan elapsed)
    {
        Volatile.Write(ref _scansPerSecond, _windowScans / elapsed.TotalSeconds);
        MissedTicks = _windowMissedTicks > 1;
        _windowScans = 0;
        _windowMissedTicks = 0;
        return _online == true;
    }

    /// <summary>
    /// Adds the reads of a scan to <paramref name="due"/> if one is due. If the last scan is still unanswered, the
    /// next starts as soon as it is (so a slow answer costs that board a late scan, not a lost one).
    /// </summary>
    internal void StartIfDue(long now, long tolerance, List<ModbusExchange> due)
    {
        if (now < _retryAt || now - _startedAt < Interval - tolerance || (!Board.Device.ScanEnabled && _scans > 0))
        {
            return;
        }

        if (_outstanding > 0)
        {
            _tickMissed = true;
            _windowMissedTicks++;
            return;
        }

        Start(now, due);
    }

    private void Start(long now, List<ModbusExchange> due)
    {
        _startedAt = now;
        _failure = null;
        for (var run = 0; run < _runs.Length; run++)
        {
            // The first scan, and the first after a failure, read every block; a run's blocks between two due ones
            // are read with them (one request instead of two).
            var blocks = _runs[run];
            var first = -1;
            var last = -1;
            for (var position = 0; position < blocks.Length; position++)
            {
                if (Board.Blocks[blocks[position]].IsDue(_scanNumber))
                {
                    first = first < 0 ? position : first;
                    last = position;
                }
            }

            if (first >= 0)
            {
                var read = _reads[run];
                read.Span(first, last);
                read.SentAt = now;
                read.Sequence = _bus.NextSequenceLocked();
                due.Add(read);
                _outstanding++;
            }
        }

        _scanNumber++;
    }

    /// <summary>Called once per read of a scan; the last one completes the scan.</summary>
    internal void OnBlockRead(ModbusException? failure)
    {
        ModbusScanReport? report;
        var catchUp = false;
        lock (_gate)
        {
            _failure ??= failure;
            if (--_outstanding > 0)
            {
                return;
            }

            if (_failure is null)
            {
                Succeeded();
            }
            else
            {
                Failed(_failure);
            }

            report = NextReport();
            var now = Stopwatch.GetTimestamp();
            if (_tickMissed && now >= _retryAt)
            {
                // Nothing of this board is in flight any more, so its previous catch-up list is free again.
                _tickMissed = false;
                _catchUp.Clear();
                Start(now, _catchUp);
                catchUp = true;
            }
        }

        Deliver(report);
        if (catchUp)
        {
            _bus.SendCatchUp(_catchUp);
        }
    }

    private void Succeeded()
    {
        var now = Stopwatch.GetTimestamp();
        Volatile.Write(ref _scans, _scans + 1);
        _windowScans++;
        Volatile.Write(ref _lastScanMilliseconds, Stopwatch.GetElapsedTime(_startedAt, now).TotalMilliseconds);
        Volatile.Write(ref _lastCommunicationTicks, DateTimeOffset.UtcNow.UtcTicks);
        CountScan(now);
        // Online at the first answer ever; after an outage only when it answers OnlineAfter scans in a row (a board
        // that answers one request in five stays offline instead of flapping). Its values are taken meanwhile and
        // delivered when it is online again.
        _consecutiveGood++;
        if (_online is null || (_online == false && _consecutiveGood >= Board.Device.OnlineAfter))
        {
            _online = true;
            _statusPending = true;
            _outageScans = _outageFailures;
        }

        _consecutiveErrors = 0;
        foreach (var read in _reads)
        {
            if (read.SentAt != _startedAt)
            {
                continue;
            }

            foreach (var index in read.Blocks)
            {
                // A write's read-back taken later in the bus's order already holds what this read may have missed.
                if (read.Sequence < _sequences[index])
                {
                    continue;
                }

                _sequences[index] = read.Sequence;
                var block = Board.Blocks[index];
                var incoming = Incoming.AsSpan(block.ImageStart, block.Count);
                var image = _image.AsSpan(block.ImageStart, block.Count);
                if (!incoming.SequenceEqual(image))
                {
                    incoming.CopyTo(image);
                    _undelivered[index] = true;
                }
            }
        }
    }

    /// <summary>
    /// Adds the scans to <c>evok.scans</c> at most once a second (the first at once): one measurement per scan was
    /// 2 % of the silo's CPU at 64 boards (3 200 tag look-ups a second), for a counter nobody reads more often.
    /// </summary>
    private void CountScan(long now)
    {
        _uncountedScans++;
        if (now - _scansCountedAt >= Stopwatch.Frequency || _scansCountedAt == 0)
        {
            EvokMetrics.Scans.Add(_uncountedScans, _tag);
            _uncountedScans = 0;
            _scansCountedAt = now;
        }
    }

    private void Failed(ModbusException failure)
    {
        Volatile.Write(ref _failedScans, _failedScans + 1);
        EvokMetrics.ScanErrors.Add(1, _tag);
        _consecutiveErrors++;
        _consecutiveGood = 0;
        _scanNumber = 0;
        _retryAt = Stopwatch.GetTimestamp() + Math.Min(Interval << Math.Min(_consecutiveErrors, 30), _maxBackoff);

        // Offline once per outage, after OfflineAfter failed scans in a row; a device that never answered is reported
        // offline from its first failed scan.
        if (_online == false)
        {
            _outageFailures++;
        }
        else if (_online is null || _consecutiveErrors >= Board.Device.OfflineAfter)
        {
            _online = false;
            _statusPending = true;
            _outageScans = 0;
            _outageFailures = _consecutiveErrors;
            _failureReason = failure.Message;
        }
    }

    /// <summary>The report the poller has not had yet, unless one is on its way (reports go one at a time, in order).</summary>
    private ModbusScanReport? NextReport()
    {
        if (_delivering || _online is null)
        {
            return null;
        }

        var blocks = ImmutableArray<ScannedBlock>.Empty;
        if (_online == true && Array.IndexOf(_undelivered, true) >= 0)
        {
            var builder = ImmutableArray.CreateBuilder<ScannedBlock>();
            for (var index = 0; index < _undelivered.Length; index++)
            {
                if (_undelivered[index])
                {
                    var block = Board.Blocks[index];
                    builder.Add(new ScannedBlock(index, _sequences[index], [.. _image.AsSpan(block.ImageStart, block.Count)]));
                    _undelivered[index] = false;
                }
            }

            blocks = builder.DrainToImmutable();
        }
        else if (!_statusPending)
        {
            return null;
        }

        _statusPending = false;
        _delivering = true;
        return new ModbusScanReport(_online.Value, _online == true ? null : _failureReason, _outageScans, blocks);
    }

    private void Deliver(ModbusScanReport? report)
    {
        if (report is null)
        {
            return;
        }

        _report(report).ContinueWith(
            static (call, state) => ((BoardScan)state!).OnDelivered(call),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void OnDelivered(Task call)
    {
        ModbusScanReport? report = null;
        lock (_gate)
        {
            _delivering = false;
            if (call.IsCompletedSuccessfully)
            {
                report = NextReport();
            }
            else
            {
                // The poller did not take it (the silo is stopping, or the call failed): tell it everything again
                // with the next good scan rather than retrying at once.
                Array.Fill(_undelivered, true);
                _statusPending = true;
            }
        }

        Deliver(report);
    }
}

using System.Collections.Immutable;
using System.Diagnostics;
using Evok.Orleans.Abstractions.Diagnostics;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Modbus;

namespace Evok.Orleans.Grains.Buses;

/// <summary>
/// The scanning of one board on its bus: when it is due, which blocks a scan reads, the registers as last read,
/// and what its poller grain has not been told yet. An unchanged board costs a compare per block and allocates
/// nothing; the poller hears only of changed blocks and of the board going offline or coming back, one report at a
/// time and in order. A failing board is scanned less often, interval x 2^errors like Evok, but capped at 1 s
/// instead of Evok's 120 s so that a board that comes back is noticed within a second or two.
/// All members but the counters are guarded by the bus scanner's lock.
/// </summary>
public sealed class BoardScan
{
    private static readonly long MaxBackoff = Stopwatch.Frequency;

    private readonly Lock _gate;
    private readonly ModbusBusScanner _bus;
    private readonly IModbusDevicePollerGrain _poller;
    private readonly BlockRead[] _reads;
    private readonly ushort[] _image;
    private readonly long[] _readAt;
    private readonly bool[] _undelivered;
    private readonly bool[] _resync;
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
    private int _outageScans;
    private bool? _online;
    private bool _statusPending;
    private bool _delivering;
    private long _scans;
    private long _failedScans;
    private long _lastCommunicationTicks;
    private double _lastScanMilliseconds;

    internal BoardScan(BoardMap board, IModbusDevicePollerGrain poller, ModbusBusScanner bus, Lock gate)
    {
        Board = board;
        _poller = poller;
        _bus = bus;
        _gate = gate;
        _reads = [.. board.Blocks.Select((block, index) => new BlockRead(this, index, block))];
        _image = new ushort[board.ImageSize];
        Incoming = new ushort[board.ImageSize];
        _readAt = new long[_reads.Length];
        _resync = new bool[_reads.Length];

        // The poller knows nothing yet: the first good scan tells it every block.
        _undelivered = [.. _reads.Select(_ => true)];
        _tag = new("device", board.Name);
        Interval = (long)(board.Device.ScanInterval.TotalSeconds * Stopwatch.Frequency);
        _startedAt = -Interval; // so the first tick finds the board due
    }

    public BoardMap Board { get; }

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

    /// <summary>
    /// Asks for a block to be reported at its next read even if unchanged: the poller dropped a report of it that
    /// was older than a write's read-back, and must not miss what that read saw.
    /// </summary>
    public void Resync(int blockIndex)
    {
        lock (_gate)
        {
            _resync[blockIndex] = true;
        }
    }

    /// <summary>
    /// Adds the reads of a scan to <paramref name="due"/> if one is due. If the last scan is still unanswered, the
    /// next starts as soon as it is (so a slow answer costs that board a late scan, not a lost one).
    /// </summary>
    internal void StartIfDue(long now, long tolerance, List<ModbusExchange> due)
    {
        if (now < _retryAt || now - _startedAt < Interval - tolerance)
        {
            return;
        }

        if (_outstanding > 0)
        {
            _tickMissed = true;
            return;
        }

        Start(now, due);
    }

    private void Start(long now, List<ModbusExchange> due)
    {
        _startedAt = now;
        _failure = null;
        foreach (var read in _reads)
        {
            // The first scan, and the first after a failure, read every block.
            if (read.Block.IsDue(_scanNumber))
            {
                read.SentAt = now;
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
        Volatile.Write(ref _lastScanMilliseconds, Stopwatch.GetElapsedTime(_startedAt, now).TotalMilliseconds);
        Volatile.Write(ref _lastCommunicationTicks, DateTimeOffset.UtcNow.UtcTicks);
        EvokMetrics.Scans.Add(1, _tag);
        if (_online != true)
        {
            _online = true;
            _statusPending = true;
            _outageScans = _consecutiveErrors;
        }

        _consecutiveErrors = 0;
        foreach (var read in _reads)
        {
            if (read.SentAt != _startedAt)
            {
                continue;
            }

            var incoming = Incoming.AsSpan(read.Block.Start, read.Block.Count);
            var image = _image.AsSpan(read.Block.Start, read.Block.Count);
            _readAt[read.Index] = read.SentAt;
            if (_resync[read.Index] || !incoming.SequenceEqual(image))
            {
                incoming.CopyTo(image);
                _undelivered[read.Index] = true;
                _resync[read.Index] = false;
            }
        }
    }

    private void Failed(ModbusException failure)
    {
        Volatile.Write(ref _failedScans, _failedScans + 1);
        EvokMetrics.ScanErrors.Add(1, _tag);
        _consecutiveErrors++;
        _scanNumber = 0;
        _retryAt = Stopwatch.GetTimestamp() + Math.Min(Interval << Math.Min(_consecutiveErrors, 30), Math.Max(MaxBackoff, Interval));

        // Offline once per outage; a device that never answered is reported offline from its first failed scan.
        if (_online != false)
        {
            _online = false;
            _statusPending = true;
            _outageScans = 0;
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
            for (var index = 0; index < _reads.Length; index++)
            {
                if (_undelivered[index])
                {
                    var block = _reads[index].Block;
                    builder.Add(new ScannedBlock(index, _readAt[index], [.. _image.AsSpan(block.Start, block.Count)]));
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

        _poller.OnScannedAsync(report).ContinueWith(
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

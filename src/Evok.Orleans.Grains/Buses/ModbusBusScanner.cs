using System.Diagnostics;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Modbus;

namespace Evok.Orleans.Grains.Buses;

/// <summary>
/// Scans every board of one bus from one loop: on each tick the reads of all boards that are due go on the wire
/// back to back, in one socket write, and their responses are read in bulk and handled as they arrive. A timer per
/// board (a grain timer turn, a socket write and a task per block read) cost several times as much CPU at 64
/// boards; this keeps the cost of an unchanged board to a compare per block. Boards with a longer interval than the
/// tick are scanned on the ticks that reach it; a board whose scan is still unanswered at its tick scans as soon as
/// the answer is in (or timed out).
/// </summary>
public sealed class ModbusBusScanner(IPipelinedModbusMaster master) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BoardScan> _boards = new(StringComparer.Ordinal);
    private readonly List<ModbusExchange> _due = [];
    private readonly CancellationTokenSource _stopping = new();
    private PeriodicTimer? _timer;
    private Task _loop = Task.CompletedTask;

    /// <summary>Starts scanning a board (again, with the same scan state, if it was scanned before).</summary>
    public BoardScan Attach(BoardMap board, IModbusDevicePollerGrain poller)
    {
        lock (_gate)
        {
            if (!_boards.TryGetValue(board.Name, out var scan))
            {
                scan = _boards[board.Name] = new BoardScan(board, poller, this, _gate);
            }

            var tick = board.Device.ScanInterval;
            if (_timer is null)
            {
                _timer = new PeriodicTimer(tick);
                _loop = Task.Run(ScanLoopAsync);
            }
            else if (tick < _timer.Period)
            {
                _timer.Period = tick;
            }

            return scan;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _timer?.Dispose();
    }

    /// <summary>Sends the scan of a board that missed its tick, as soon as its previous scan was answered.</summary>
    internal void SendCatchUp(List<ModbusExchange> reads) => _ = SendAsync(reads);

    private async Task SendAsync(List<ModbusExchange> reads) => await master.SendAsync(reads, _stopping.Token);

    private async Task ScanLoopAsync()
    {
        try
        {
            do
            {
                var now = Stopwatch.GetTimestamp();
                lock (_gate)
                {
                    // Half a tick of slack, so that a timer firing a little early does not skip a board's scan.
                    var tolerance = (long)(_timer!.Period.TotalSeconds * Stopwatch.Frequency / 2);
                    foreach (var scan in _boards.Values)
                    {
                        scan.StartIfDue(now, tolerance, _due);
                    }
                }

                if (_due.Count > 0)
                {
                    await master.SendAsync(_due, _stopping.Token);
                    _due.Clear();
                }
            }
            while (await _timer!.WaitForNextTickAsync(_stopping.Token));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }
}

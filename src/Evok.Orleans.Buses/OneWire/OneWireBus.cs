using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.OneWire;
using Evok.Orleans.OneWire;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Buses.OneWire;

/// <summary>
/// One 1-Wire bus behind owserver and everything that goes over it, from one loop, one request at a time (a 1-Wire
/// bus does one thing at a time, and owserver's protocol has no request ids): bus searches at start and every
/// <c>scan_interval</c>, the earliest-due device's poll, and writes, which go before polls and are read back at once.
/// Every poll takes its place in the bus's order (<see cref="OneWireReading.Sequence"/>), so a poll never
/// overwrites a newer write. A device that does not answer is tried again after twice its interval, then four
/// times, up to 5 minutes (Evok's back-off); owserver not answering at all makes the bus offline, its devices lost,
/// and the bus searched again every few seconds until owserver is back. Reports go to the bus's grain from a
/// separate task, merged while the grain is busy, so the loop never waits on a grain.
/// </summary>
public sealed partial class OneWireBus : IAsyncDisposable
{
    /// <summary>The longest a lost device waits between tries (Evok: 300 s).</summary>
    public static readonly TimeSpan MaxLostRetry = TimeSpan.FromMinutes(5);

    /// <summary>The longest the bus waits between tries while owserver does not answer.</summary>
    public static readonly TimeSpan MaxOfflineRetry = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, PolledDevice> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _typeByAddress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OneWireDeviceConfiguration> _listed;
    private readonly Queue<PendingWrite> _writes = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Channel<OneWireReport> _reports = Channel.CreateUnbounded<OneWireReport>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly OwserverClient _owserver;
    private readonly ILogger _logger;
    private Func<OneWireReport, Task>? _sink;
    private Task _loop = Task.CompletedTask;
    private Task _delivery = Task.CompletedTask;
    private TimeSpan _interval;
    private TimeSpan _scanInterval;
    private long _nextSearch;
    private bool _searchRequested = true;
    private bool? _online;
    private string? _failure;
    private long _sequence;
    private long _reads;
    private long _failedReads;
    private long _rateWindowStart = Stopwatch.GetTimestamp();
    private long _rateWindowReads;

    public OneWireBus(OneWireBusConfiguration configuration, ILogger logger)
    {
        Name = configuration.Name;
        _interval = configuration.Interval;
        _scanInterval = configuration.ScanInterval;
        _listed = configuration.Devices.ToDictionary(device => device.Address, StringComparer.Ordinal);
        foreach (var device in configuration.Devices)
        {
            // A listed device is of the type config.yaml says: no need to ask owserver.
            _typeByAddress[device.Address] = device.Type;
        }

        _owserver = new OwserverClient(configuration.Host, configuration.Port) { Timeout = TimeSpan.FromSeconds(5) };
        _logger = logger;
    }

    /// <summary>The channel's name in config.yaml.</summary>
    public string Name { get; }

    /// <summary>owserver's address, <c>host:port</c>.</summary>
    public string Endpoint => _owserver.Endpoint;

    public bool Online => _online == true;

    public long Reads => Interlocked.Read(ref _reads);

    public long FailedReads => Interlocked.Read(ref _failedReads);

    /// <summary>Device polls per second over the last few seconds.</summary>
    public double ReadsPerSecond { get; private set; }

    /// <summary>
    /// Hands the bus its grain's report callback and starts the loop. A grain activated again attaches again: the
    /// bus searches at once, so the new activation hears of every device.
    /// </summary>
    public void Attach(Func<OneWireReport, Task> report)
    {
        lock (_gate)
        {
            _sink = report;
            _searchRequested = true;
            foreach (var device in _devices.Values)
            {
                device.Due = 0;
            }

            if (_loop.IsCompleted)
            {
                _loop = Task.Run(() => RunAsync(_stopping.Token));
                _delivery = Task.Run(() => DeliverAsync(_stopping.Token));
            }
        }

        _wake.Release();
    }

    /// <summary>Searches the bus now (Evok's <c>do_scan</c>).</summary>
    public void RequestSearch()
    {
        lock (_gate)
        {
            _searchRequested = true;
        }

        _wake.Release();
    }

    public void SetScanInterval(TimeSpan interval)
    {
        lock (_gate)
        {
            _scanInterval = interval;
            _nextSearch = Stopwatch.GetTimestamp() + Ticks(interval);
        }
    }

    /// <summary>Sets one device's poll interval, or every device's when <paramref name="address"/> is null (then all are read at once, as in Evok).</summary>
    public void SetInterval(string? address, TimeSpan interval)
    {
        lock (_gate)
        {
            if (address is null)
            {
                _interval = interval;
            }

            foreach (var device in _devices.Values.Where(device => address is null || device.Address == address))
            {
                device.Interval = interval;
                device.Due = address is null ? 0 : Stopwatch.GetTimestamp() + Ticks(interval);
            }
        }

        _wake.Release();
    }

    /// <summary>Writes a device property (e.g. <c>PIO.3</c>) in the bus's order and answers with the device read back.</summary>
    public Task<OneWireReading> WriteAsync(string address, string property, string value)
    {
        var write = new PendingWrite(address, property, value);
        lock (_gate)
        {
            if (_online == false)
            {
                return Task.FromException<OneWireReading>(new OwserverException($"1-Wire bus {Name}: owserver {Endpoint} does not answer ({_failure})"));
            }

            _writes.Enqueue(write);
        }

        _wake.Release();
        return write.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _delivery.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _owserver.DisposeAsync();
        lock (_gate)
        {
            FailWrites(new OperationCanceledException("the silo is stopping"));
        }
    }

    /// <summary>A found device's interval: its listing's, else the bus's (the lock is held).</summary>
    private TimeSpan IntervalOf(string address) => _listed.TryGetValue(address, out var listed) ? listed.Interval : _interval;

    private static long Ticks(TimeSpan time) => (long)(time.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Evok's <c>time</c>: seconds of the monotonic clock (since boot on Linux).</summary>
    private static double Now() => Environment.TickCount64 / 1000.0;

    [GeneratedRegex(@"^[0-9A-F]{2}\.[0-9A-F]{12}(\.[0-9A-F]{2})?$")]
    private static partial Regex DeviceName();

    private async Task RunAsync(CancellationToken stopping)
    {
        var offlineRetry = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await StepAsync(stopping);
                offlineRetry = TimeSpan.FromSeconds(1);
            }
            catch (OwserverException exception)
            {
                // No answer at all, or a search answered with an error (no adapter): either way the bus is unusable.
                GoOffline(exception.Message);
                await WaitAsync(Stopwatch.GetTimestamp() + Ticks(offlineRetry), stopping);
                offlineRetry = TimeSpan.FromTicks(Math.Min(offlineRetry.Ticks * 2, MaxOfflineRetry.Ticks));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // A bug here must not end the bus: say so and carry on after a pause.
                LogLoopFailed(Name, exception);
                await WaitAsync(Stopwatch.GetTimestamp() + Ticks(MaxOfflineRetry), stopping);
            }
        }
    }

    /// <summary>One thing the bus does next: a search when due, else a write, else the earliest-due poll, else wait.</summary>
    private async Task StepAsync(CancellationToken stopping)
    {
        PendingWrite? write = null;
        PolledDevice? due = null;
        var search = false;
        var wakeAt = long.MaxValue;
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (_searchRequested || _online != true || now >= _nextSearch)
            {
                _searchRequested = false;
                search = true;
            }
            else if (!_writes.TryDequeue(out write))
            {
                due = _devices.Values.MinBy(device => device.Due);
                wakeAt = Math.Min(_nextSearch, due?.Due ?? long.MaxValue);
                due = due is not null && due.Due <= now ? due : null;
            }
        }

        if (search)
        {
            await SearchAsync(stopping);
        }
        else if (write is not null)
        {
            await WriteNowAsync(write, stopping);
        }
        else if (due is not null)
        {
            Report(await PollAsync(due, stopping));
        }
        else
        {
            await WaitAsync(wakeAt, stopping);
        }
    }

    /// <summary>Lists every device on every bus.N owserver has, learns each new one's chip, and reports the supported ones present.</summary>
    private async Task SearchAsync(CancellationToken stopping)
    {
        var entries = await _owserver.DirAllAsync("/", stopping);
        var buses = entries.Where(entry => LastSegment(entry).StartsWith("bus.", StringComparison.Ordinal)).ToList();
        var paths = new List<string>(buses.Count == 0 ? entries : []);
        foreach (var bus in buses)
        {
            paths.AddRange(await _owserver.DirAllAsync(bus, stopping));
        }

        var present = ImmutableArray.CreateBuilder<OneWireDeviceFound>();
        foreach (var address in paths.Select(LastSegment).Where(name => DeviceName().IsMatch(name)).Distinct(StringComparer.Ordinal))
        {
            if (!_typeByAddress.TryGetValue(address, out var type))
            {
                try
                {
                    type = _typeByAddress[address] = await _owserver.ReadAsync($"/{address}/type", stopping);
                }
                catch (OwserverException exception) when (exception.ErrorCode != 0)
                {
                    // Gone again between the listing and the read: the next search looks again.
                    continue;
                }
            }

            if (OneWireChip.Find(type) is { } chip && (chip.FoundBySearch || _listed.ContainsKey(address)))
            {
                present.Add(new OneWireDeviceFound(address, type));
            }
        }

        lock (_gate)
        {
            // A listed device stays polled when a search misses it: it is lost until it answers again.
            var found = present.Select(device => device.Address).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _devices.Keys.Where(address => !found.Contains(address) && !_listed.ContainsKey(address)).ToList())
            {
                _devices.Remove(gone);
            }

            foreach (var device in present.Where(device => !_devices.ContainsKey(device.Address)))
            {
                // Found (again): read at once.
                _devices[device.Address] = new PolledDevice(device.Address, OneWireChip.Find(device.Type)!, IntervalOf(device.Address));
            }

            foreach (var listed in _listed.Values.Where(listed => !_devices.ContainsKey(listed.Address)))
            {
                _devices[listed.Address] = new PolledDevice(listed.Address, OneWireChip.Find(listed.Type)!, listed.Interval);
            }

            _nextSearch = Stopwatch.GetTimestamp() + Ticks(_scanInterval);
            if (_online != true)
            {
                LogOnline(Name, Endpoint, present.Count);
            }

            _online = true;
            _failure = null;
        }

        Report(new OneWireReport(true, null, present.ToImmutable(), []));
    }

    private async Task<OneWireReading> PollAsync(PolledDevice device, CancellationToken stopping)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var values = ImmutableArray.CreateBuilder<string>(device.Chip.Properties.Length);
        try
        {
            foreach (var property in device.Chip.Properties)
            {
                values.Add(await _owserver.ReadAsync($"/{device.Address}/{property}", stopping));
            }
        }
        catch (OwserverException exception) when (exception.ErrorCode != 0)
        {
            Interlocked.Increment(ref _failedReads);
            lock (_gate)
            {
                // Evok's back-off: twice the interval, then four times, ... up to 5 minutes.
                var retry = TimeSpan.FromTicks(Math.Min((device.LostRetry ?? device.Interval).Ticks * 2, MaxLostRetry.Ticks));
                device.LostRetry = retry;
                device.Due = Stopwatch.GetTimestamp() + Ticks(retry);
            }

            return new OneWireReading(device.Address, sequence, null, Now());
        }

        CountRead();
        lock (_gate)
        {
            device.LostRetry = null;
            device.Due = Stopwatch.GetTimestamp() + Ticks(device.Interval);
        }

        return new OneWireReading(device.Address, sequence, values.MoveToImmutable(), Now());
    }

    private async Task WriteNowAsync(PendingWrite write, CancellationToken stopping)
    {
        try
        {
            await _owserver.WriteAsync($"/{write.Address}/{write.Property}", write.Value, stopping);
            PolledDevice? device;
            lock (_gate)
            {
                device = _devices.GetValueOrDefault(write.Address);
            }

            write.Done.TrySetResult(device is null
                ? new OneWireReading(write.Address, Interlocked.Increment(ref _sequence), null, Now())
                : await PollAsync(device, stopping));
        }
        catch (OwserverException exception) when (exception.ErrorCode != 0)
        {
            write.Done.TrySetException(exception);
        }
        catch (Exception exception)
        {
            write.Done.TrySetException(exception);
            throw;
        }
    }

    private void GoOffline(string reason)
    {
        lock (_gate)
        {
            if (_online != false)
            {
                LogOffline(Name, reason);
            }

            _online = false;
            _failure = reason;
            _devices.Clear();
            ReadsPerSecond = 0;
            FailWrites(new OwserverException($"1-Wire bus {Name}: {reason}"));
        }

        Report(new OneWireReport(false, reason, [], []));
    }

    private void FailWrites(Exception exception)
    {
        while (_writes.TryDequeue(out var write))
        {
            write.Done.TrySetException(exception);
        }
    }

    private async Task WaitAsync(long until, CancellationToken stopping)
    {
        var wait = TimeSpan.FromSeconds(Math.Max(0, until - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
        if (wait > TimeSpan.Zero)
        {
            await _wake.WaitAsync(wait < TimeSpan.FromHours(1) ? wait : TimeSpan.FromHours(1), stopping);
        }
    }

    private void CountRead()
    {
        Interlocked.Increment(ref _reads);
        var now = Stopwatch.GetTimestamp();
        var elapsed = Stopwatch.GetElapsedTime(_rateWindowStart, now);
        if (elapsed >= RateWindow)
        {
            ReadsPerSecond = (Reads - _rateWindowReads) / elapsed.TotalSeconds;
            _rateWindowStart = now;
            _rateWindowReads = Reads;
        }
    }

    private void Report(OneWireReading reading) => Report(new OneWireReport(true, null, null, [reading]));

    private void Report(OneWireReport report) => _reports.Writer.TryWrite(report);

    /// <summary>Hands reports to the grain one call at a time; what piled up during a call goes as one report.</summary>
    private async Task DeliverAsync(CancellationToken stopping)
    {
        try
        {
            while (await _reports.Reader.WaitToReadAsync(stopping))
            {
                var report = Merge();
                Func<OneWireReport, Task>? sink;
                lock (_gate)
                {
                    sink = _sink;
                }

                try
                {
                    await sink!(report);
                }
                catch (Exception exception) when (!stopping.IsCancellationRequested)
                {
                    // The grain did not take it: the next search tells a new activation everything again.
                    LogDeliveryFailed(Name, exception.Message);
                    RequestSearch();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Everything waiting, as one report: the polls in their order, and owserver's state and the device list as the
    /// latest search or outage left them (the grain applies the list first; a poll of a device no longer listed is
    /// then ignored, and its order number keeps a poll from overwriting a newer one).
    /// </summary>
    private OneWireReport Merge()
    {
        _reports.Reader.TryRead(out var report);
        var readings = report!.Readings.ToBuilder();
        while (_reports.Reader.TryRead(out var next))
        {
            readings.AddRange(next.Readings);
            if (next.Present is not null || !next.Online)
            {
                report = next;
            }
        }

        return report with { Readings = readings.ToImmutable() };
    }

    private static string LastSegment(string path) => path[(path.LastIndexOf('/') + 1)..];

    [LoggerMessage(Level = LogLevel.Information, Message = "1-Wire bus {Bus}: owserver {Endpoint} answers, {Devices} supported devices found")]
    private partial void LogOnline(string bus, string endpoint, int devices);

    [LoggerMessage(Level = LogLevel.Warning, Message = "1-Wire bus {Bus} is offline: {Reason}; trying again every few seconds")]
    private partial void LogOffline(string bus, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "1-Wire bus {Bus}: its loop failed; continuing")]
    private partial void LogLoopFailed(string bus, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "1-Wire bus {Bus}: its grain did not take a report: {Reason}")]
    private partial void LogDeliveryFailed(string bus, string reason);
}

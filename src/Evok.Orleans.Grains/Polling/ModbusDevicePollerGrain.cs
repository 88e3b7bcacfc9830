using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Diagnostics;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Grains.Buses;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;
using Evok.Orleans.Modbus;
using Microsoft.Extensions.Logging;
using Orleans.BroadcastChannel;
using Orleans.Streams;

namespace Evok.Orleans.Grains.Polling;

/// <summary>
/// Scans one Modbus device at its scan_frequency. Each scan reads the blocks that are due, compares them with the
/// register image, decodes only the circuits whose registers changed, and publishes the circuits whose state really
/// changed as one batch. Writes go through here too, so scans and writes of a device never interleave and its
/// change stream has one order. A failing device is scanned less often, interval x 2^errors like Evok, but capped
/// at 1 s instead of Evok's 120 s so that a board that comes back is noticed within a second or two; its circuits
/// keep their last state, and its <c>modbus_slave</c> state goes offline (and online again) with one event and one
/// log line per outage.
/// </summary>
[KeepAlive]
public sealed partial class ModbusDevicePollerGrain(
    SiteMap site, IModbusBusConnections buses, IClusterClient cluster, ILogger<ModbusDevicePollerGrain> logger)
    : Grain, IModbusDevicePollerGrain
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRelayTimeout = TimeSpan.FromDays(1);

    private BoardMap _board = null!;
    private IModbusMaster _master = null!;
    private RegisterImage _image = null!;
    private ushort[] _blockBuffer = null!;
    private DeviceState?[] _states = null!;
    private CircuitOverlay[] _overlays = null!;
    private long[] _sequences = null!;
    private bool[] _dirty = null!;
    private ICircuitGrain[] _grains = null!;
    private IAsyncStream<DeviceChangeBatch> _stream = null!;
    private IBroadcastChannelWriter<DeviceChangeBatch> _channel = null!;
    private IGrainTimer? _timer;
    private int _dirtyCount;
    private long _scans;
    private long _failedScans;
    private int _consecutiveErrors;
    private DateTimeOffset? _lastCommunication;
    private bool? _online;
    private double _lastScanMilliseconds;
    private long _eventsPublished;
    private long _slaveSequence;
    private KeyValuePair<string, object?> _tag;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var name = this.GetPrimaryKeyString();
        _board = site.FindBoard(name) ?? throw new KeyNotFoundException($"no Modbus device '{name}' in this site");
        _master = buses.For(_board.Device.Channel);
        _image = _board.CreateImage();
        _blockBuffer = new ushort[_board.Blocks.Max(block => block.Count)];
        var count = _board.Circuits.Length;
        _states = new DeviceState?[count];
        _overlays = [.. Enumerable.Range(0, count).Select(_ => new CircuitOverlay())];
        _sequences = new long[count];
        _dirty = new bool[count];
        _grains = [.. _board.Circuits.Select(circuit => CircuitGrains.Get(GrainFactory, circuit.Kind, circuit.Key))];
        _stream = this.GetStreamProvider(EvokStreams.ProviderName).GetStream<DeviceChangeBatch>(EvokStreams.DeviceChanges(name));
        _channel = cluster.GetBroadcastChannelProvider(EvokStreams.ProviderName)
            .GetChannelWriter<DeviceChangeBatch>(ChannelId.Create(EvokStreams.DeviceChangesNamespace, name));
        _tag = new("device", name);

        foreach (var (key, alias) in await GrainFactory.GetGrain<ISiteGrain>(ISiteGrain.Key).GetAliasesAsync())
        {
            if (_board.FindCircuit(key) is { } circuit)
            {
                _overlays[circuit.Ordinal].Alias = alias;
            }
        }

        // Until the first good scan every circuit is unknown: that scan publishes them all once, for receivers to sync.
        Array.Fill(_dirty, true);
        _dirtyCount = count;
    }

    public Task StartAsync()
    {
        _timer ??= this.RegisterGrainTimer(
            static (self, cancellationToken) => self.ScanAsync(cancellationToken),
            this,
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = _board.Device.ScanInterval, Interleave = false, KeepAlive = true });
        return Task.CompletedTask;
    }

    public async Task<DeviceState> SetAsync(string circuitKey, ImmutableArray<PropertyAssignment> assignments)
    {
        var circuit = FindCircuit(circuitKey);
        var overlay = _overlays[circuit.Ordinal];

        // Everything is checked before the first write, so a bad assignment leaves the board untouched.
        var timeout = Validate(circuit, assignments);
        var isRelay = IsRelay(circuit);
        foreach (var assignment in assignments)
        {
            switch (assignment.Name)
            {
                case "timeout" when isRelay:
                    break;
                case "counter_mode" when circuit.Kind == DeviceKind.DigitalInput:
                    overlay.CounterDisabled = WriteValue.Choice(assignment.Name, assignment.Value, DigitalInputState.CounterModes) == "Disabled";
                    MarkDirty(circuit.Ordinal);
                    break;
                default:
                    await ExecuteAsync(circuit, circuit.Feature.Encode(circuit.Index, assignment.Name, assignment.Value, _image));
                    break;
            }
        }

        if (isRelay && assignments.Any(a => a.Name == "value"))
        {
            ScheduleRevert(circuit, overlay, timeout, assignments.Last(a => a.Name == "value").Value);
        }

        await PublishChangesAsync(DateTimeOffset.UtcNow);
        return _states[circuit.Ordinal]!;
    }

    public async Task SetAliasAsync(string circuitKey, string? alias)
    {
        var circuit = FindCircuit(circuitKey);
        _overlays[circuit.Ordinal].Alias = alias;
        MarkDirty(circuit.Ordinal);
        await PublishChangesAsync(DateTimeOffset.UtcNow);
    }

    public Task<DeviceState?> GetCircuitStateAsync(string circuitKey) =>
        Task.FromResult(_board.FindCircuit(circuitKey) is { } circuit ? _states[circuit.Ordinal] : null);

    public Task<ImmutableArray<DeviceState>> GetStatesAsync() =>
        Task.FromResult<ImmutableArray<DeviceState>>([SlaveState(), .. _states.OfType<DeviceState>()]);

    public Task<ModbusDeviceStatus> GetStatusAsync() => Task.FromResult(new ModbusDeviceStatus(
        _board.Name, _online == true, _lastCommunication, _scans, _failedScans, _board.Circuits.Length, SlaveState(),
        _board.Device.Board.Model, _lastScanMilliseconds, _eventsPublished));

    private ModbusSlaveState SlaveState() => new()
    {
        Circuit = _board.Name,
        GlobalDeviceId = _board.Device.GlobalDeviceId,
        LastCommunication = _lastCommunication is { } last ? (DateTimeOffset.UtcNow - last).TotalSeconds : -1,
        SlaveId = _board.Device.SlaveId,
        Online = _online == true,
    };

    private static bool IsRelay(Circuit circuit) => circuit.Kind is DeviceKind.RelayOutput or DeviceKind.DigitalOutput;

    private Circuit FindCircuit(string key) =>
        _board.FindCircuit(key) ?? throw new KeyNotFoundException($"no circuit '{key}' on device {_board.Name}");

    /// <summary>Checks every assignment; returns the relay timeout, if one was given.</summary>
    private TimeSpan? Validate(Circuit circuit, ImmutableArray<PropertyAssignment> assignments)
    {
        TimeSpan? timeout = null;
        var isRelay = IsRelay(circuit);
        foreach (var assignment in assignments)
        {
            switch (assignment.Name)
            {
                case "timeout" when isRelay:
                    if (!assignments.Any(a => a.Name == "value"))
                    {
                        throw new DeviceWriteException("timeout", "timeout needs a value to switch to");
                    }

                    timeout = TimeSpan.FromSeconds(WriteValue.Number("timeout", assignment.Value, 0.001, MaxRelayTimeout.TotalSeconds));
                    break;
                case "counter_mode" when circuit.Kind == DeviceKind.DigitalInput:
                    WriteValue.Choice(assignment.Name, assignment.Value, DigitalInputState.CounterModes);
                    break;
                default:
                    circuit.Feature.Encode(circuit.Index, assignment.Name, assignment.Value, _image);
                    break;
            }
        }

        return timeout;
    }

    /// <summary>Evok's relay timeout: the output is pending while switched, and switches back when the time is up.</summary>
    private void ScheduleRevert(Circuit circuit, CircuitOverlay overlay, TimeSpan? timeout, string value)
    {
        overlay.Revert?.Dispose();
        overlay.Revert = null;
        overlay.Pending = timeout is not null;
        MarkDirty(circuit.Ordinal);
        if (timeout is null)
        {
            return;
        }

        var revertTo = WriteValue.OnOff("value", value) ? "0" : "1";
        overlay.Revert = this.RegisterGrainTimer(
            static (state, _) => state.Self.RevertAsync(state.Circuit, state.Value),
            (Self: this, Circuit: circuit, Value: revertTo),
            new GrainTimerCreationOptions { DueTime = timeout.Value, Period = Timeout.InfiniteTimeSpan, Interleave = false });
    }

    private async Task RevertAsync(Circuit circuit, string value)
    {
        var overlay = _overlays[circuit.Ordinal];
        overlay.Revert?.Dispose();
        overlay.Revert = null;
        overlay.Pending = false;
        MarkDirty(circuit.Ordinal);
        try
        {
            await ExecuteAsync(circuit, circuit.Feature.Encode(circuit.Index, "value", value, _image));
        }
        catch (ModbusException exception)
        {
            LogRevertFailed(circuit.Key, exception.Message);
        }

        await PublishChangesAsync(DateTimeOffset.UtcNow);
    }

    /// <summary>Performs the writes, then reads back every block holding a written register or one of the circuit's.</summary>
    private async Task ExecuteAsync(Circuit circuit, IReadOnlyList<ModbusWrite> writes)
    {
        var unit = _board.Device.SlaveId;
        foreach (var write in writes)
        {
            switch (write.Kind)
            {
                case ModbusWriteKind.Coil:
                    await _master.WriteSingleCoilAsync(unit, write.Address, write.Values[0] != 0);
                    break;
                case ModbusWriteKind.Register:
                    await _master.WriteSingleRegisterAsync(unit, write.Address, write.Values[0]);
                    break;
                default:
                    await _master.WriteMultipleRegistersAsync(unit, write.Address, [.. write.Values]);
                    break;
            }
        }

        foreach (var block in _board.Blocks)
        {
            var written = writes.Any(write => write.Kind != ModbusWriteKind.Coil &&
                write.Address < block.End && write.Address + write.Values.Length > block.Start);
            if (written || circuit.Registers.Any(block.Contains))
            {
                await ReadBlockAsync(block, CancellationToken.None);
            }
        }

        _lastCommunication = DateTimeOffset.UtcNow;
    }

    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            foreach (var block in _board.Blocks)
            {
                if (block.IsDue(_scans))
                {
                    await ReadBlockAsync(block, cancellationToken);
                }
            }
        }
        catch (ModbusException exception)
        {
            await OnScanFailedAsync(exception);
            return;
        }

        _scans++;
        _lastScanMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        EvokMetrics.Scans.Add(1, _tag);
        _lastCommunication = DateTimeOffset.UtcNow;
        if (_consecutiveErrors > 0)
        {
            LogRecovered(_board.Name, _consecutiveErrors);
            _consecutiveErrors = 0;
            _timer!.Change(_board.Device.ScanInterval, _board.Device.ScanInterval);
        }

        var cameOnline = _online != true;
        _online = true;
        if (_dirtyCount > 0 || cameOnline)
        {
            await PublishChangesAsync(_lastCommunication.Value, slaveChanged: cameOnline);
        }
    }

    private async Task ReadBlockAsync(RegisterBlock block, CancellationToken cancellationToken)
    {
        var buffer = _blockBuffer.AsMemory(0, block.Count);
        if (block.Kind == RegisterBlockKind.Input)
        {
            await _master.ReadInputRegistersAsync(_board.Device.SlaveId, (ushort)block.Start, buffer, cancellationToken);
        }
        else
        {
            await _master.ReadHoldingRegistersAsync(_board.Device.SlaveId, (ushort)block.Start, buffer, cancellationToken);
        }

        MarkChanged(block.Start, buffer.Span);
    }

    private void MarkChanged(int start, ReadOnlySpan<ushort> values)
    {
        var image = _image.Slice(start, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (image[i] == values[i])
            {
                continue;
            }

            image[i] = values[i];
            foreach (var ordinal in _board.CircuitsUsing(start + i))
            {
                MarkDirty(ordinal);
            }
        }
    }

    private void MarkDirty(int ordinal)
    {
        if (!_dirty[ordinal])
        {
            _dirty[ordinal] = true;
            _dirtyCount++;
        }
    }

    /// <summary>
    /// Publishes, as one batch, the circuits whose decoded state changed (unless <paramref name="circuits"/> is
    /// false: after a failed scan the register image is not to be trusted) and the device's own state when asked.
    /// </summary>
    private async Task PublishChangesAsync(DateTimeOffset timestamp, bool slaveChanged = false, bool circuits = true)
    {
        if ((_dirtyCount == 0 || !circuits) && !slaveChanged)
        {
            return;
        }

        var changes = ImmutableArray.CreateBuilder<DeviceChanged>();
        if (slaveChanged)
        {
            var slave = SlaveState();
            changes.Add(new DeviceChanged(slave.Key, ++_slaveSequence, timestamp, slave, slave.ToJson()));
        }

        var updates = new List<Task>();
        for (var ordinal = 0; circuits && ordinal < _dirty.Length; ordinal++)
        {
            if (!_dirty[ordinal])
            {
                continue;
            }

            _dirty[ordinal] = false;
            var circuit = _board.Circuits[ordinal];
            var state = _overlays[ordinal].Apply(circuit.Decode(_image, _board.Device.GlobalDeviceId));
            if (state.Equals(_states[ordinal]))
            {
                continue;
            }

            _states[ordinal] = state;
            changes.Add(new DeviceChanged(circuit.Key, ++_sequences[ordinal], timestamp, state, state.ToJson()));
            updates.Add(_grains[ordinal].ApplyAsync(state));
        }

        _dirtyCount = circuits ? 0 : _dirtyCount;
        if (changes.Count == 0)
        {
            return;
        }

        await Task.WhenAll(updates);

        // Pushed to the silo's subscribers at once (the memory stream's agents would first have to poll for it),
        // and put on the stream for client apps.
        var batch = new DeviceChangeBatch(_board.Name, changes.ToImmutable());
        await _channel.Publish(batch);
        await _stream.OnNextAsync(batch);
        _eventsPublished += changes.Count;
        EvokMetrics.EventsPublished.Add(changes.Count, _tag);
    }

    private async Task OnScanFailedAsync(ModbusException exception)
    {
        _failedScans++;
        EvokMetrics.ScanErrors.Add(1, _tag);
        if (_consecutiveErrors++ == 0)
        {
            LogScanFailed(_board.Name, exception.Message);
        }

        var delay = TimeSpan.FromTicks(Math.Min(
            _board.Device.ScanInterval.Ticks * (1L << Math.Min(_consecutiveErrors, 30)),
            Math.Max(MaxBackoff.Ticks, _board.Device.ScanInterval.Ticks)));
        _timer?.Change(delay, delay);

        // Offline once per outage; a device that never answered is reported offline from its first failed scan.
        if (_online != false)
        {
            _online = false;
            await PublishChangesAsync(DateTimeOffset.UtcNow, slaveChanged: true, circuits: false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Modbus device {Device} stopped answering: {Reason}; scanning less often until it answers")]
    private partial void LogScanFailed(string device, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Modbus device {Device} answers again after {Errors} failed scans")]
    private partial void LogRecovered(string device, int errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Switching {Circuit} back after its timeout failed: {Reason}")]
    private partial void LogRevertFailed(string circuit, string reason);
}

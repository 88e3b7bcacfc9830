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

namespace Evok.Orleans.Grains.Polling;

/// <summary>
/// Owns one Modbus device's state and change stream. Its bus's scanner reads the device at its scan_frequency and
/// reports only blocks whose registers changed; this decodes just the circuits of those registers and publishes the
/// circuits whose state really changed as one batch. Writes go through here too, so the change stream of a device
/// has one order, and a scan read sent before a write's read-back is never applied over it. A failing device keeps
/// its circuits' last state, and its <c>modbus_slave</c> state goes offline (and online again) with one event and
/// one log line per outage.
/// </summary>
[KeepAlive]
public sealed partial class ModbusDevicePollerGrain(
    SiteMap site, IModbusBusConnections buses, IClusterClient cluster, ILogger<ModbusDevicePollerGrain> logger)
    : Grain, IModbusDevicePollerGrain
{
    private static readonly TimeSpan MaxRelayTimeout = TimeSpan.FromDays(1);

    private BoardMap _board = null!;
    private IModbusMaster _master = null!;
    private RegisterImage _image = null!;
    private ushort[] _blockBuffer = null!;
    private DeviceState?[] _states = null!;
    private CircuitOverlay[] _overlays = null!;
    private long[] _sequences = null!;
    private bool[] _dirty = null!;
    private ICircuitGrain?[] _attached = null!;
    private IBroadcastChannelWriter<DeviceChangeBatch> _channel = null!;
    private long[] _blockReadAt = null!;
    private BoardScan? _scan;
    private int _dirtyCount;
    private bool? _online;
    private bool _imageLoaded;
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
        _blockReadAt = new long[_board.Blocks.Length];
        var count = _board.Circuits.Length;
        _states = new DeviceState?[count];
        _overlays = [.. Enumerable.Range(0, count).Select(_ => new CircuitOverlay())];
        _sequences = new long[count];
        _dirty = new bool[count];
        _attached = new ICircuitGrain?[count];
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
        _scan ??= buses.ScannerFor(_board.Device.Channel).Attach(_board, this.AsReference<IModbusDevicePollerGrain>());
        return Task.CompletedTask;
    }

    public async Task OnScannedAsync(ModbusScanReport report)
    {
        foreach (var block in report.Blocks)
        {
            // A read sent before a write's read-back is older than what the image holds: drop it, and have the
            // scanner report the block at its next read even if that read finds nothing new to it.
            if (block.ReadAt < _blockReadAt[block.Index])
            {
                _scan!.Resync(block.Index);
                continue;
            }

            _blockReadAt[block.Index] = block.ReadAt;
            MarkChanged(_board.Blocks[block.Index].Start, block.Values.AsSpan());
        }

        var statusChanged = _online != report.Online;
        if (statusChanged && report.Online && _online is not null)
        {
            LogRecovered(_board.Name, report.FailedScans);
        }
        else if (statusChanged && !report.Online)
        {
            LogScanFailed(_board.Name, report.Failure ?? "no answer");
        }

        _online = report.Online;
        _imageLoaded |= report.Online;
        await PublishChangesAsync(DateTimeOffset.UtcNow, statusChanged);
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

        // Before the first scan is in, the state comes from the read-back alone.
        return _states[circuit.Ordinal] ?? overlay.Apply(circuit.Decode(_image, _board.Device.GlobalDeviceId));
    }

    public async Task SetAliasAsync(string circuitKey, string? alias)
    {
        var circuit = FindCircuit(circuitKey);
        _overlays[circuit.Ordinal].Alias = alias;
        MarkDirty(circuit.Ordinal);
        await PublishChangesAsync(DateTimeOffset.UtcNow);
    }

    public Task<DeviceState?> AttachAsync(string circuitKey)
    {
        var circuit = FindCircuit(circuitKey);
        _attached[circuit.Ordinal] = CircuitGrains.Get(GrainFactory, circuit.Kind, circuit.Key);
        return Task.FromResult(_states[circuit.Ordinal]);
    }

    public Task DetachAsync(string circuitKey)
    {
        _attached[FindCircuit(circuitKey).Ordinal] = null;
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<DeviceState>> GetStatesAsync() =>
        Task.FromResult<ImmutableArray<DeviceState>>([SlaveState(), .. _states.OfType<DeviceState>()]);

    public Task<ModbusDeviceStatus> GetStatusAsync() => Task.FromResult(new ModbusDeviceStatus(
        _board.Name, _online == true, _scan?.LastCommunication, _scan?.Scans ?? 0, _scan?.FailedScans ?? 0,
        _board.Circuits.Length, SlaveState(), _board.Device.Board.Model, _scan?.LastScanMilliseconds ?? 0, _eventsPublished));

    private ModbusSlaveState SlaveState() => new()
    {
        Circuit = _board.Name,
        GlobalDeviceId = _board.Device.GlobalDeviceId,
        LastCommunication = _scan?.LastCommunication is { } last ? (DateTimeOffset.UtcNow - last).TotalSeconds : -1,
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

        for (var index = 0; index < _board.Blocks.Length; index++)
        {
            var block = _board.Blocks[index];
            var written = writes.Any(write => write.Kind != ModbusWriteKind.Coil &&
                write.Address < block.End && write.Address + write.Values.Length > block.Start);
            if (written || circuit.Registers.Any(block.Contains))
            {
                await ReadBackAsync(index, block);
            }
        }
    }

    private async Task ReadBackAsync(int index, RegisterBlock block)
    {
        var readAt = Stopwatch.GetTimestamp();
        var buffer = _blockBuffer.AsMemory(0, block.Count);
        if (block.Kind == RegisterBlockKind.Input)
        {
            await _master.ReadInputRegistersAsync(_board.Device.SlaveId, (ushort)block.Start, buffer);
        }
        else
        {
            await _master.ReadHoldingRegistersAsync(_board.Device.SlaveId, (ushort)block.Start, buffer);
        }

        _blockReadAt[index] = readAt;
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
    /// Publishes, as one batch, the circuits whose decoded state changed and the device's own state when asked.
    /// Circuits wait for the first good scan: until then the image holds nothing read from the device.
    /// </summary>
    private async Task PublishChangesAsync(DateTimeOffset timestamp, bool slaveChanged = false)
    {
        var circuits = _imageLoaded;
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
            if (_attached[ordinal] is { } grain)
            {
                updates.Add(grain.ApplyAsync(state));
            }
        }

        _dirtyCount = circuits ? 0 : _dirtyCount;
        if (changes.Count == 0)
        {
            return;
        }

        await Task.WhenAll(updates);

        // Pushed to the device's subscriber at once: no queue to poll on a timer.
        await _channel.Publish(new DeviceChangeBatch(_board.Name, changes.ToImmutable()));
        _eventsPublished += changes.Count;
        EvokMetrics.EventsPublished.Add(changes.Count, _tag);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Modbus device {Device} stopped answering: {Reason}; scanning less often until it answers")]
    private partial void LogScanFailed(string device, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Modbus device {Device} answers again after {Errors} failed scans")]
    private partial void LogRecovered(string device, int errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Switching {Circuit} back after its timeout failed: {Reason}")]
    private partial void LogRevertFailed(string circuit, string reason);
}

using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Diagnostics;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Buses;
using Evok.Orleans.Buses.Modbus;
using Evok.Orleans.Grains.Placement;
using Evok.Orleans.Grains.Site;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;
using Evok.Orleans.Modbus;
using Microsoft.Extensions.Logging;
using Orleans.BroadcastChannel;

namespace Evok.Orleans.Grains.Polling;

/// <summary>
/// Owns one Modbus device's state and change stream: decodes, keeps state, publishes. Its bus reads the device at
/// its scan_frequency and reports only blocks whose registers changed; this decodes just the circuits of those
/// registers and publishes the circuits whose state really changed as one batch. Writes go through here too (the
/// bus performs them in its order and returns the read-back), so the change stream of a device has one order. A
/// failing device keeps its circuits' last state, and its <c>modbus_slave</c> state goes offline (and online again)
/// with one event and one log line per outage.
/// </summary>
[NodePlacement]
[KeepAlive]
public sealed partial class ModbusDevicePollerGrain(
    NodeMaps maps, BusRegistry buses, AliasRegistry aliases, IClusterClient cluster, ILogger<ModbusDevicePollerGrain> logger)
    : Grain, IModbusDevicePollerGrain
{
    private SiteMap _site = null!;

    // The node of a board taken over from another controller, named in its published JSON; null for our own boards.
    private string? _foreignNode;

    private BoardMap _board = null!;
    private BoardScan _scan = null!;
    private RegisterImage _image = null!;
    private long _nextOfflineWarning;
    private CircuitSlot[] _slots = null!;
    private long[] _blockSequences = null!;
    private IBroadcastChannelWriter<DeviceChangeBatch> _channel = null!;
    private int _dirtyCount;
    private bool? _online;
    private bool _imageLoaded;
    private long _eventsPublished;
    private long _slaveSequence;
    private KeyValuePair<string, object?> _tag;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The channel is keyed like this grain (qualified by node in a site of several controllers); the board by its own name.
        var key = this.GetPrimaryKeyString();
        var (node, name) = (NodeKey.NodeOf(key), NodeKey.LocalOf(key));
        var own = maps.IsOwn(node);
        _site = maps.For(node);
        _foreignNode = own ? null : node;
        _board = _site.FindBoard(name)
            ?? throw (own ? new KeyNotFoundException($"no Modbus device '{name}' in this site") : NodeUnavailableException.Of(node));
        _image = _board.CreateImage();
        _blockSequences = new long[_board.Blocks.Length];
        _slots = [.. _board.Circuits.Select(circuit => new CircuitSlot(circuit) { Alias = own ? aliases.AliasOf(circuit.Key) : null })];
        StartFrom(maps.LastStatesOf(node, name));
        _channel = cluster.GetBroadcastChannelProvider(EvokStreams.ProviderName)
            .GetChannelWriter<DeviceChangeBatch>(ChannelId.Create(EvokStreams.DeviceChangesNamespace, key));
        _tag = new("device", name);

        // Until the first good scan every circuit is unknown: that scan publishes them all once, for receivers to sync.
        _dirtyCount = _slots.Length;
        var self = this.AsReference<IModbusDevicePollerGrain>();
        _scan = buses.ModbusBus(_site.Configuration, _board.Device.Channel).Attach(_board, self.OnScannedAsync);
        return Task.CompletedTask;
    }

    public Task StartAsync() => Task.CompletedTask;

    /// <summary>
    /// A board taken over from a controller that died starts from what that controller last published, as this one
    /// saw it: its first scan then publishes only what changed while nobody polled, and nothing that did not.
    /// </summary>
    private void StartFrom(ImmutableArray<DeviceState> lastStates)
    {
        foreach (var state in lastStates)
        {
            if (state is ModbusSlaveState slave)
            {
                _online = slave.Online;
            }
            else if (_board.FindCircuit(state.Key) is { } circuit)
            {
                _slots[circuit.Ordinal].State = state;
                _slots[circuit.Ordinal].Alias = state.Alias;
            }
        }
    }

    public async Task OnScannedAsync(ModbusScanReport report)
    {
        Apply(report.Blocks);
        var statusChanged = _online != report.Online;
        if (statusChanged && report.Online && _online is not null)
        {
            LogRecovered(_board.Name, report.FailedScans);
        }
        else if (statusChanged && !report.Online)
        {
            // One warning per outage, and at most one a minute for a board that keeps coming and going.
            var now = Environment.TickCount64;
            if (now >= _nextOfflineWarning)
            {
                _nextOfflineWarning = now + 60_000;
                LogScanFailed(_board.Name, report.Failure ?? "no answer");
            }
        }

        _online = report.Online;
        _imageLoaded |= report.Online;
        await PublishChangesAsync(DateTimeOffset.UtcNow, statusChanged);
    }

    public async Task<DeviceState> SetAsync(string circuitKey, ImmutableArray<PropertyAssignment> assignments)
    {
        var slot = Find(circuitKey);
        var plan = WritePlan.Create(_board, slot.Circuit, assignments, _image);
        try
        {
            await ExecuteAsync(slot, plan);
        }
        catch (ModbusException exception)
        {
            throw new BusWriteException($"device {_board.Name}: {exception.Message}") { TimedOut = exception is ModbusTimeoutException };
        }

        await PublishChangesAsync(DateTimeOffset.UtcNow);

        // Before the first scan is in, the state comes from the read-back alone.
        return slot.State ?? slot.Decode(_image, _board.Device.GlobalDeviceId);
    }

    public async Task SetAliasAsync(string circuitKey, string? alias)
    {
        var slot = Find(circuitKey);
        slot.Alias = alias;
        MarkDirty(slot);
        await PublishChangesAsync(DateTimeOffset.UtcNow);
    }

    public Task<DeviceState?> GetStateAsync(string circuitKey) => Task.FromResult(Find(circuitKey).State);

    public Task<ImmutableArray<DeviceState>> GetStatesAsync() =>
        Task.FromResult<ImmutableArray<DeviceState>>([SlaveState(), .. _slots.Select(slot => slot.State).OfType<DeviceState>()]);

    public Task<ModbusDeviceStatus> GetStatusAsync() => Task.FromResult(new ModbusDeviceStatus(
        _board.Name, _online == true, _scan.LastCommunication, _scan.Scans, _scan.FailedScans, _slots.Length, SlaveState(),
        _board.Device.Board.Model, _scan.LastScanMilliseconds, _eventsPublished, _board.Device.ScanFrequency, _scan.ScansPerSecond));

    private ModbusSlaveState SlaveState() => new()
    {
        Circuit = _board.Name,
        GlobalDeviceId = _board.Device.GlobalDeviceId,
        LastCommunication = _scan.LastCommunication is { } last ? (DateTimeOffset.UtcNow - last).TotalSeconds : -1,
        SlaveId = _board.Device.SlaveId,
        Online = _online == true,
        ModbusType = _scan.Bus.ModbusType,
        ModbusSpecification = _scan.Bus.Description,
        ScanInterval = _board.Device.ScanInterval.TotalSeconds,
    };

    private CircuitSlot Find(string key) => _board.FindCircuit(key) is { } circuit
        ? _slots[circuit.Ordinal]
        : throw new KeyNotFoundException($"no circuit '{key}' on device {_board.Name}");

    /// <summary>Runs a validated plan: the bus writes and reads back; a relay's timed switch starts or ends.</summary>
    private async Task ExecuteAsync(CircuitSlot slot, WritePlan plan)
    {
        if (plan.CounterDisabled is { } disabled)
        {
            slot.CounterDisabled = disabled;
            MarkDirty(slot);
        }

        if (plan.SwitchesRelay)
        {
            slot.CancelRevert();
            MarkDirty(slot);
        }

        if (!plan.Writes.IsEmpty)
        {
            Apply(await _scan.ExecuteAsync(plan.Writes, plan.ReadBackBlocks));
        }

        if (plan.WrittenValue is { } written)
        {
            slot.WrittenValue = written;
            MarkDirty(slot);
        }

        if (plan.RelayTimeout is { } timeout)
        {
            slot.Pending = true;
            slot.Revert = this.RegisterGrainTimer(
                static (state, _) => state.Self.RevertAsync(state.Slot, state.Value),
                (Self: this, Slot: slot, Value: timeout.RevertTo),
                new GrainTimerCreationOptions { DueTime = timeout.After, Period = Timeout.InfiniteTimeSpan, Interleave = false });
        }
    }

    /// <summary>Evok's relay timeout: the output is pending while switched, and switches back when the time is up.</summary>
    private async Task RevertAsync(CircuitSlot slot, string value)
    {
        slot.CancelRevert();
        MarkDirty(slot);
        try
        {
            await ExecuteAsync(slot, WritePlan.Revert(_board, slot.Circuit, value, _image));
        }
        catch (ModbusException exception)
        {
            LogRevertFailed(slot.Circuit.Key, exception.Message);
        }

        await PublishChangesAsync(DateTimeOffset.UtcNow);
    }

    /// <summary>Applies blocks read later in the bus's order than what the image holds of them.</summary>
    private void Apply(ImmutableArray<ScannedBlock> blocks)
    {
        foreach (var block in blocks)
        {
            if (block.Sequence <= _blockSequences[block.Index])
            {
                continue;
            }

            _blockSequences[block.Index] = block.Sequence;
            var start = _board.Blocks[block.Index].ImageStart;
            var image = _image.Slice(start, block.Values.Length);
            for (var i = 0; i < image.Length; i++)
            {
                if (image[i] == block.Values[i])
                {
                    continue;
                }

                image[i] = block.Values[i];
                foreach (var ordinal in _board.CircuitsUsing(start + i))
                {
                    MarkDirty(_slots[ordinal]);
                }
            }
        }
    }

    private void MarkDirty(CircuitSlot slot)
    {
        if (!slot.Dirty)
        {
            slot.Dirty = true;
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
            changes.Add(new DeviceChanged(slave.Key, ++_slaveSequence, timestamp, slave, slave.ToJson(_site.Configuration.Api.JsonStyle, _foreignNode)));
        }

        for (var ordinal = 0; circuits && ordinal < _slots.Length; ordinal++)
        {
            var slot = _slots[ordinal];
            if (!slot.Dirty)
            {
                continue;
            }

            slot.Dirty = false;
            var state = slot.Decode(_image, _board.Device.GlobalDeviceId);
            if (state.Equals(slot.State))
            {
                continue;
            }

            slot.State = state;
            changes.Add(new DeviceChanged(slot.Circuit.Key, ++slot.Sequence, timestamp, state, state.ToJson(_site.Configuration.Api.JsonStyle, _foreignNode)));
        }

        _dirtyCount = circuits ? 0 : _dirtyCount;
        if (changes.Count == 0)
        {
            return;
        }

        // Pushed to the device's subscriber at once: no queue to poll on a timer.
        await _channel.Publish(new DeviceChangeBatch(_board.Name, changes.ToImmutable()) { Node = _site.Configuration.Node });
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

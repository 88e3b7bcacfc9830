using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Diagnostics;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Buses;
using Evok.Orleans.Buses.OneWire;
using Evok.Orleans.Grains.Placement;
using Evok.Orleans.Grains.Site;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.OneWire;
using Evok.Orleans.Hardware.Writes;
using Evok.Orleans.OneWire;
using Microsoft.Extensions.Logging;
using Orleans.BroadcastChannel;

namespace Evok.Orleans.Grains.OneWire;

/// <summary>
/// Owns one 1-Wire bus's devices and their change stream: decodes what its bus polls, keeps state, publishes. A
/// device is published from its first read on and then on every change of what Evok reports (a read that only moved
/// <c>time</c> is no change); one that stops answering, or is gone from a search, is published once as
/// <c>lost: true</c> and again when it answers. owserver going away makes the bus offline and every device lost.
/// Writes (a switch's outputs) go through the bus in its order and answer with the device read back.
/// </summary>
[NodePlacement]
[KeepAlive]
public sealed partial class OneWireBusGrain(
    SiteConfiguration site, BusRegistry buses, AliasRegistry aliases, IClusterClient cluster, ILogger<OneWireBusGrain> logger)
    : Grain, IOneWireBusGrain
{
    private readonly Dictionary<string, OneWireSlot> _slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OneWireSlot> _slotsByAddress = new(StringComparer.Ordinal);
    private OneWireBusConfiguration _configuration = null!;
    private OneWireBus _bus = null!;
    private IBroadcastChannelWriter<DeviceChangeBatch> _channel = null!;
    private OneWireBusState _state = null!;
    private long _busSequence;
    private long _eventsPublished;
    private KeyValuePair<string, object?> _tag;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var name = NodeKey.LocalOf(this.GetPrimaryKeyString());
        _configuration = site.OneWireBuses.FirstOrDefault(bus => bus.Name == name)
            ?? throw new KeyNotFoundException($"no 1-Wire bus '{name}' in this site");
        _state = new OneWireBusState
        {
            Circuit = name,
            GlobalDeviceId = 0,
            Alias = aliases.AliasOf(DeviceTypeNames.CircuitKey(DeviceKind.OneWireBus, name)),
            Interval = _configuration.Interval.TotalSeconds,
            ScanInterval = _configuration.ScanInterval.TotalSeconds,
            Online = false,
        };
        _channel = cluster.GetBroadcastChannelProvider(EvokStreams.ProviderName)
            .GetChannelWriter<DeviceChangeBatch>(ChannelId.Create(EvokStreams.DeviceChangesNamespace, NodeKey.Qualify(site.Node, _state.Key)));
        _tag = new("device", name);
        foreach (var listed in _configuration.Devices)
        {
            // Served under its name from the start; published from its first read on, like a device found.
            var chip = OneWireChip.Find(listed.Type)!;
            var state = chip.Initial(listed.Address, listed.Interval.TotalSeconds) with { Circuit = listed.Name };
            AddSlot(new OneWireSlot(chip, state with { Alias = aliases.AliasOf(state.Key) }));
        }

        _bus = buses.OneWireBus(name);
        _bus.Attach(this.AsReference<IOneWireBusGrain>().OnReportAsync);
        return Task.CompletedTask;
    }

    public Task StartAsync() => Task.CompletedTask;

    public async Task OnReportAsync(OneWireReport report)
    {
        var changes = ImmutableArray.CreateBuilder<DeviceChanged>();
        if (report.Online != _state.Online)
        {
            _state = _state with { Online = report.Online };
            changes.Add(new DeviceChanged(_state.Key, ++_busSequence, DateTimeOffset.UtcNow, _state, _state.ToJson(site.Api.JsonStyle)));
        }

        if (report.Present is { } present)
        {
            Search(present, changes);
        }

        foreach (var reading in report.Readings)
        {
            if (_slotsByAddress.GetValueOrDefault(reading.Address) is { } slot)
            {
                Apply(slot, reading, changes);
            }
        }

        await PublishAsync(changes);
    }

    public async Task<DeviceState> SetAsync(string circuitKey, ImmutableArray<PropertyAssignment> assignments)
    {
        if (circuitKey == _state.Key)
        {
            await SetBusAsync(assignments);
            return _state;
        }

        var slot = Find(circuitKey);
        double? interval = null;
        (string Property, string Value)? output = null;
        var pio = assignments.LastOrDefault(assignment => assignment.Name == "pio");
        foreach (var assignment in assignments)
        {
            switch (assignment.Name)
            {
                case "interval":
                    interval = Interval(assignment);
                    break;
                case "pio":
                    break;
                case "value" when slot.Chip.Kind == OneWireChipKind.Switch:
                    output = slot.Chip.EncodeOutput(pio?.Value ?? throw new DeviceWriteException("pio", "value needs pio: the channel to switch"), assignment.Value);
                    break;
                default:
                    throw WriteValue.Unsupported(assignment.Name, "sensor");
            }
        }

        if (pio is not null && output is null)
        {
            throw new DeviceWriteException("value", "pio needs value: 1 to make the channel conduct, 0 to release it");
        }

        var changes = ImmutableArray.CreateBuilder<DeviceChanged>();
        if (interval is { } seconds)
        {
            _bus.SetInterval(slot.State.Address, TimeSpan.FromSeconds(seconds));
            Update(slot, slot.State with { Interval = seconds }, changes);
        }

        if (output is var (property, value))
        {
            OneWireReading readBack;
            try
            {
                readBack = await _bus.WriteAsync(slot.State.Address, property, value);
            }
            catch (OwserverException exception)
            {
                throw new BusWriteException($"{slot.State.Address}: {exception.Message}") { TimedOut = exception.TimedOut };
            }

            Apply(slot, readBack, changes);
        }

        await PublishAsync(changes);
        return slot.State;
    }

    public async Task SetAliasAsync(string circuitKey, string? alias)
    {
        if (circuitKey == _state.Key)
        {
            _state = _state with { Alias = alias };
            await PublishAsync([new DeviceChanged(_state.Key, ++_busSequence, DateTimeOffset.UtcNow, _state, _state.ToJson(site.Api.JsonStyle))]);
            return;
        }

        var slot = Find(circuitKey);
        var changes = ImmutableArray.CreateBuilder<DeviceChanged>();
        Update(slot, slot.State with { Alias = alias }, changes);
        await PublishAsync(changes);
    }

    public Task<DeviceState?> GetStateAsync(string circuitKey) =>
        Task.FromResult<DeviceState?>(circuitKey == _state.Key ? _state : _slots.GetValueOrDefault(circuitKey)?.State);

    public Task<ImmutableArray<DeviceState>> GetStatesAsync() =>
        Task.FromResult<ImmutableArray<DeviceState>>([.. _slots.Values.Select(slot => slot.State), _state]);

    public Task<OneWireBusStatus> GetStatusAsync() => Task.FromResult(new OneWireBusStatus(
        _state.Circuit, _bus.Endpoint, _state.Online, _slots.Count, _slots.Values.Count(slot => slot.State.Lost),
        _bus.Reads, _bus.FailedReads, _bus.ReadsPerSecond, _eventsPublished));

    private static double Interval(PropertyAssignment assignment) =>
        WriteValue.Number(assignment.Name, assignment.Value, OneWireBusConfiguration.MinIntervalSeconds, OneWireBusConfiguration.MaxIntervalSeconds);

    private OneWireSlot Find(string key) =>
        _slots.GetValueOrDefault(key) ?? throw new KeyNotFoundException($"no 1-Wire device '{key}' on bus {_state.Circuit}");

    /// <summary>After a search: new devices get a slot (published at their first read); devices gone are lost.</summary>
    private void Search(ImmutableArray<OneWireDeviceFound> present, ImmutableArray<DeviceChanged>.Builder changes)
    {
        var found = present.Select(device => device.Address).ToHashSet(StringComparer.Ordinal);
        foreach (var slot in _slots.Values.Where(slot => !found.Contains(slot.State.Address)))
        {
            Update(slot, slot.State with { Lost = true }, changes);
        }

        foreach (var device in present.Where(device => !_slotsByAddress.ContainsKey(device.Address)))
        {
            var chip = OneWireChip.Find(device.Type)!;
            var state = chip.Initial(device.Address, _state.Interval);
            AddSlot(new OneWireSlot(chip, state with { Alias = aliases.AliasOf(state.Key) }));
            LogFound(_state.Circuit, device.Type, device.Address);
        }
    }

    private void AddSlot(OneWireSlot slot)
    {
        _slots[slot.Key] = slot;
        _slotsByAddress[slot.State.Address] = slot;
    }

    private void Apply(OneWireSlot slot, OneWireReading reading, ImmutableArray<DeviceChanged>.Builder changes)
    {
        if (reading.Sequence <= slot.LastReading)
        {
            return;
        }

        slot.LastReading = reading.Sequence;
        if (reading.Values is { } values)
        {
            slot.Read = true;
            Update(slot, slot.Chip.Decode(slot.State, values, reading.Time), changes);
        }
        else
        {
            Update(slot, slot.State with { Lost = true }, changes);
        }
    }

    /// <summary>Keeps the new state, and publishes it when it differs in what Evok reports from what was published.</summary>
    private void Update(OneWireSlot slot, OneWireSensorState state, ImmutableArray<DeviceChanged>.Builder changes)
    {
        var changed = !state.Equals(slot.State) || (slot.Read && slot.Sequence == 0);
        slot.State = state;
        if (changed && slot.Read)
        {
            changes.Add(new DeviceChanged(state.Key, ++slot.Sequence, DateTimeOffset.UtcNow, state, state.ToJson(site.Api.JsonStyle)));
        }
    }

    /// <summary>Evok's owbus writes: <c>interval</c> (every device), <c>scan_interval</c>, <c>do_scan</c>, <c>do_reset</c>.</summary>
    private async Task SetBusAsync(ImmutableArray<PropertyAssignment> assignments)
    {
        double? interval = null;
        double? scanInterval = null;
        var scan = false;
        var reset = false;
        foreach (var assignment in assignments)
        {
            switch (assignment.Name)
            {
                case "interval":
                    interval = Interval(assignment);
                    break;
                case "scan_interval":
                    scanInterval = OneWireBusConfiguration.ScanIntervalSeconds(
                        WriteValue.Number(assignment.Name, assignment.Value, double.MinValue, OneWireBusConfiguration.MaxIntervalSeconds));
                    break;
                case "do_scan":
                    scan = WriteValue.OnOff(assignment.Name, assignment.Value);
                    break;
                case "do_reset":
                    reset = WriteValue.OnOff(assignment.Name, assignment.Value);
                    if (reset && _configuration.OwPower is null)
                    {
                        throw new DeviceWriteException("do_reset", $"1-Wire bus {_state.Circuit} has no owpower device in config.yaml to switch its power with");
                    }

                    break;
                default:
                    throw WriteValue.Unsupported(assignment.Name, "owbus");
            }
        }

        var changes = ImmutableArray.CreateBuilder<DeviceChanged>();
        if (reset)
        {
            await ResetPowerAsync();
        }

        if (scanInterval is { } everySeconds)
        {
            _bus.SetScanInterval(TimeSpan.FromSeconds(everySeconds));
        }

        if (interval is { } pollSeconds)
        {
            _bus.SetInterval(null, TimeSpan.FromSeconds(pollSeconds));
            foreach (var slot in _slots.Values)
            {
                Update(slot, slot.State with { Interval = pollSeconds }, changes);
            }
        }

        if (interval is not null || scanInterval is not null)
        {
            _state = _state with { Interval = interval ?? _state.Interval, ScanInterval = scanInterval ?? _state.ScanInterval };
            changes.Add(new DeviceChanged(_state.Key, ++_busSequence, DateTimeOffset.UtcNow, _state, _state.ToJson(site.Api.JsonStyle)));
        }

        if (scan || reset)
        {
            _bus.RequestSearch();
        }

        await PublishAsync(changes);
    }

    /// <summary>Evok's reset pulse: bus power coil 1 for 0.2 s, then 0, then 0.05 s for the devices to start.</summary>
    private async Task ResetPowerAsync()
    {
        var power = new NodeGrains(GrainFactory, site.Node).Circuit<ICoilGrain>(DeviceTypeNames.CircuitKey(DeviceKind.OwPower, _configuration.OwPower!));
        await power.SetAsync([new PropertyAssignment("value", "1")]);
        await Task.Delay(TimeSpan.FromSeconds(0.2));
        await power.SetAsync([new PropertyAssignment("value", "0")]);
        await Task.Delay(TimeSpan.FromSeconds(0.05));
        LogReset(_state.Circuit, _configuration.OwPower!);
    }

    private async Task PublishAsync(IReadOnlyCollection<DeviceChanged> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        await _channel.Publish(new DeviceChangeBatch(_state.Circuit, [.. changes]) { Node = site.Node });
        _eventsPublished += changes.Count;
        EvokMetrics.EventsPublished.Add(changes.Count, _tag);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "1-Wire bus {Bus}: found {Type} {Address}")]
    private partial void LogFound(string bus, string type, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "1-Wire bus {Bus}: power reset through owpower of device {Device}")]
    private partial void LogReset(string bus, string device);
}

using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Grains.OneWire;
using Evok.Orleans.Grains.Placement;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Site;

/// <summary>
/// Site-wide lookups and alias changes. Aliases are kept by the silo's <see cref="AliasRegistry"/>; this grain
/// changes them there and tells the circuit's owner (a Modbus device's poller, a 1-Wire bus's grain). Calls go one
/// way only (site → owners), so no grain here can wait on one that waits on it. On a controller standing in for a
/// node that is down, that node's site grain knows only the failover boards taken over (<see cref="NodeMaps"/>).
/// </summary>
[NodePlacement]
public sealed class SiteGrain(NodeMaps maps, AliasRegistry ownAliases) : Grain, ISiteGrain
{
    // Evok's order of /rest/all: by device type, then in config order.
    private static readonly DeviceKind[] ListOrder =
    [
        DeviceKind.DigitalInput, DeviceKind.RelayOutput, DeviceKind.DigitalOutput, DeviceKind.AnalogInput, DeviceKind.AnalogOutput,
        DeviceKind.Temperature, DeviceKind.OneWireDevice, DeviceKind.Led, DeviceKind.Watchdog, DeviceKind.ModbusSlave, DeviceKind.OwPower,
        DeviceKind.NvSave, DeviceKind.Register, DeviceKind.DataPoint, DeviceKind.OneWireBus, DeviceKind.DeviceInfo,
    ];

    private SiteMap _site = null!;

    // Null for another node's failover boards taken over here: their aliases are that node's, kept there.
    private AliasRegistry? _aliases;

    private ImmutableArray<DeviceInfoState> _deviceInfos;

    private NodeGrains Node => new(GrainFactory, _site.Configuration.Node);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var node = NodeKey.NodeOf(this.GetPrimaryKeyString());
        _site = maps.For(node);
        _aliases = maps.IsOwn(node) ? ownAliases : null;
        _deviceInfos = DeviceInfos.Of(_site.Configuration);
        return Task.CompletedTask;
    }

    private IEnumerable<IOneWireBusGrain> OneWireBusGrains => OneWireBuses.Of(GrainFactory, _site.Configuration);

    public Task<ImmutableArray<string>> GetDevicesAsync() =>
        Task.FromResult(_site.Boards.Select(board => board.Name).ToImmutableArray());

    public Task<ImmutableArray<string>> GetChangeChannelsAsync() => Task.FromResult<ImmutableArray<string>>(
    [
        .. _site.Boards.Select(board => board.Name),
        .. _site.Configuration.OneWireBuses.Select(bus => DeviceTypeNames.CircuitKey(DeviceKind.OneWireBus, bus.Name)),
    ]);

    public async Task<ImmutableArray<DeviceState>> GetAllStatesAsync()
    {
        var owners = _site.Boards.Select(board => (ICircuitOwnerGrain)Node.Poller(board.Name)).Concat(OneWireBusGrains);
        var perOwner = await Task.WhenAll(owners.Select(owner => owner.GetStatesAsync()));
        return [.. perOwner.SelectMany(states => states).Concat(_deviceInfos).OrderBy(state => Array.IndexOf(ListOrder, state.Kind))];
    }

    public async Task<SiteStatus> GetStatusAsync()
    {
        var devices = Task.WhenAll(_site.Boards.Select(board => Node.Poller(board.Name).GetStatusAsync()));
        var webhooks = Task.WhenAll(_site.Configuration.Api.Webhooks.Select(webhook => Node.Outbox(webhook.Name).GetStatusAsync()));
        var oneWire = Task.WhenAll(OneWireBusGrains.Select(bus => bus.GetStatusAsync()));
        return new SiteStatus([.. await devices], [.. await webhooks]) { OneWireBuses = [.. await oneWire] };
    }

    public async Task<string?> ResolveAsync(string typeName, string circuitOrAlias)
    {
        if (!DeviceTypeNames.TryResolve(typeName, out var kinds))
        {
            return null;
        }

        if (kinds.Contains(DeviceKind.ModbusSlave) && _site.FindBoard(circuitOrAlias) is not null)
        {
            return DeviceTypeNames.CircuitKey(DeviceKind.ModbusSlave, circuitOrAlias);
        }

        if (kinds.Contains(DeviceKind.DeviceInfo) && _deviceInfos.FirstOrDefault(info => info.Circuit == circuitOrAlias) is { } deviceInfo)
        {
            return deviceInfo.Key;
        }

        foreach (var kind in kinds)
        {
            var key = DeviceTypeNames.CircuitKey(kind, circuitOrAlias);
            if (_site.FindCircuit(key) is { } found && kinds.Contains(found.Circuit.Kind))
            {
                return found.Circuit.Key;
            }

            if (kind is DeviceKind.Temperature or DeviceKind.OneWireDevice or DeviceKind.OneWireBus &&
                await FindOneWireAsync(key) is { } oneWire && kinds.Contains(oneWire.State.Kind))
            {
                return key;
            }
        }

        if (_aliases?.KeyOf(circuitOrAlias) is { } aliased)
        {
            var kind = _site.FindCircuit(aliased)?.Circuit.Kind ?? (await FindOneWireAsync(aliased))?.State.Kind;
            return kind is { } known && kinds.Contains(known) ? aliased : null;
        }

        // Standing in for a node that is down, only its failover boards are here: the rest is unavailable, not unknown.
        return _aliases is null ? throw NodeUnavailableException.Of(_site.Configuration.Node) : null;
    }

    public async Task<DeviceRead> ReadAsync(string typeName, string circuitOrAlias) =>
        await ResolveAsync(typeName, circuitOrAlias) is { } key ? new DeviceRead(key, await StateOfAsync(key)) : DeviceRead.NotFound;

    /// <summary>The state of a resolved key, from the grain that holds it (not through the circuit's own grain: one hop less).</summary>
    private async Task<DeviceState?> StateOfAsync(string key)
    {
        var name = key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..];
        if (key.StartsWith(DeviceTypeNames.KeyPrefix(DeviceKind.ModbusSlave) + ":", StringComparison.Ordinal))
        {
            return (await Node.Poller(name).GetStatusAsync()).State;
        }

        if (key.StartsWith(DeviceTypeNames.KeyPrefix(DeviceKind.DeviceInfo) + ":", StringComparison.Ordinal))
        {
            return _deviceInfos.FirstOrDefault(info => info.Circuit == name);
        }

        return _site.FindCircuit(key) is var (board, _)
            ? await Node.Poller(board.Name).GetStateAsync(key)
            : (await FindOneWireAsync(key))?.State;
    }

    public Task<ImmutableDictionary<string, string>> GetAliasesAsync() =>
        Task.FromResult(_aliases?.Snapshot() ?? ImmutableDictionary<string, string>.Empty);

    public async Task SetAliasAsync(string circuitKey, string alias)
    {
        ICircuitOwnerGrain owner = _site.FindCircuit(circuitKey) is var (board, _)
            ? Node.Poller(board.Name)
            : (await FindOneWireAsync(circuitKey))?.Bus ?? throw new KeyNotFoundException($"no circuit '{circuitKey}' in this site");
        var registry = _aliases ?? throw NodeUnavailableException.Of(_site.Configuration.Node);
        await registry.SetAsync(circuitKey, alias);
        await owner.SetAliasAsync(circuitKey, alias.Length > 0 ? alias : null);
    }

    private Task<(IOneWireBusGrain Bus, DeviceState State)?> FindOneWireAsync(string key) =>
        OneWireBuses.FindAsync(GrainFactory, _site.Configuration, key);
}

using System.Collections.Immutable;
using System.Globalization;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Circuits;

/// <summary>
/// One circuit as clients address it. Its state is what the poller last read: on activation it attaches to the
/// poller, which answers with the current state and then pushes every change to it before publishing the change.
/// Writes go to the poller, which owns the bus and publishes the change; the alias goes to the site grain, which
/// keeps aliases unique. Activated on demand and collected when idle like any grain, so a bus of a thousand circuits
/// costs only the activations clients use (the poller keeps every circuit's state anyway).
/// </summary>
public abstract class CircuitGrain<TState>(SiteMap site) : Grain, ICircuitGrain
    where TState : DeviceState
{
    private string _key = string.Empty;
    private IModbusDevicePollerGrain? _poller;

    protected TState? Current { get; private set; }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = this.GetPrimaryKeyString();
        var (board, _) = site.FindCircuit(_key) ?? throw new KeyNotFoundException($"no circuit '{_key}' in this site");
        _poller = GrainFactory.GetGrain<IModbusDevicePollerGrain>(board.Name);

        Current = (TState?)await _poller.AttachAsync(_key);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _poller?.DetachAsync(_key) ?? Task.CompletedTask;

    public Task<DeviceState?> GetStateAsync() => Task.FromResult<DeviceState?>(Current);

    public Task ApplyAsync(DeviceState state)
    {
        Current = (TState)state;
        return Task.CompletedTask;
    }

    public async Task<DeviceState> SetAsync(ImmutableArray<PropertyAssignment> assignments)
    {
        var alias = assignments.LastOrDefault(assignment => assignment.Name == "alias");
        var hardware = assignments.RemoveAll(assignment => assignment.Name == "alias");

        // A malformed alias is refused before anything is written; the site grain checks that it is free.
        if (alias is not null && AliasRules.Problem(alias.Value.Trim()) is { } problem)
        {
            throw new DeviceWriteException("alias", problem);
        }

        if (!hardware.IsEmpty)
        {
            Current = (TState)await _poller!.SetAsync(_key, hardware);
        }

        if (alias is not null)
        {
            await GrainFactory.GetGrain<ISiteGrain>(ISiteGrain.Key).SetAliasAsync(_key, alias.Value.Trim());
        }

        return Current ?? throw new DeviceWriteException("value", $"{_key} has not been read from its board yet");
    }

    protected async Task<TState> SetValueAsync(double value) =>
        (TState)await SetAsync([new PropertyAssignment("value", value.ToString(CultureInfo.InvariantCulture))]);
}

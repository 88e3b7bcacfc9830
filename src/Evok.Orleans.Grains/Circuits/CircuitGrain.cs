using System.Collections.Immutable;
using System.Globalization;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Circuits;

/// <summary>
/// One circuit as clients address it. Its poller holds the state and owns the bus, so this grain reads from it and
/// sends writes to it; the alias goes to the site grain, which keeps aliases unique. Calls go one way (circuit →
/// poller, circuit → site → poller) and nothing calls a circuit grain back. Activated on demand and collected when
/// idle like any grain, so a bus of a thousand circuits costs only the activations clients use.
/// </summary>
public abstract class CircuitGrain<TState>(SiteMap site) : Grain, ICircuitGrain
    where TState : DeviceState
{
    private string _key = string.Empty;
    private IModbusDevicePollerGrain _poller = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = this.GetPrimaryKeyString();
        var (board, _) = site.FindCircuit(_key) ?? throw new KeyNotFoundException($"no circuit '{_key}' in this site");
        _poller = GrainFactory.GetGrain<IModbusDevicePollerGrain>(board.Name);
        return Task.CompletedTask;
    }

    public Task<DeviceState?> GetStateAsync() => _poller.GetStateAsync(_key);

    public async Task<DeviceState> SetAsync(ImmutableArray<PropertyAssignment> assignments)
    {
        var alias = assignments.LastOrDefault(assignment => assignment.Name == "alias");
        var hardware = assignments.RemoveAll(assignment => assignment.Name == "alias");

        // A malformed alias is refused before anything is written; the site grain checks that it is free.
        if (alias is not null && AliasRules.Problem(alias.Value.Trim()) is { } problem)
        {
            throw new DeviceWriteException("alias", problem);
        }

        var state = hardware.IsEmpty ? null : await _poller.SetAsync(_key, hardware);
        if (alias is not null)
        {
            // The state now shows the new alias: read it again below.
            await GrainFactory.GetGrain<ISiteGrain>(ISiteGrain.Key).SetAliasAsync(_key, alias.Value.Trim());
            state = null;
        }

        return state ?? await _poller.GetStateAsync(_key) ?? throw new DeviceWriteException("value", $"{_key} has not been read from its board yet");
    }

    protected async Task<TState> SetValueAsync(double value) =>
        (TState)await SetAsync([new PropertyAssignment("value", value.ToString(CultureInfo.InvariantCulture))]);
}

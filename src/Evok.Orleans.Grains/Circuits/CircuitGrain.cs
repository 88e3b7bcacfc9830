using System.Collections.Immutable;
using System.Globalization;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Grains.Placement;
using Evok.Orleans.Grains.Site;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Circuits;

/// <summary>
/// One circuit as clients address it. Its owner (a Modbus device's poller, a 1-Wire bus's grain) holds the state and
/// owns the bus, so this grain reads from it and sends writes to it; the alias goes to the site grain, which keeps
/// aliases unique. Calls go one way (circuit → owner, circuit → site → owner) and nothing calls a circuit grain back.
/// Activated on demand and collected when idle like any grain, so a bus of a thousand circuits costs only the
/// activations clients use.
/// </summary>
[NodePlacement]
public abstract class CircuitGrain<TState>(NodeMaps maps) : Grain, ICircuitGrain
    where TState : DeviceState
{
    private string _key = string.Empty;
    private ICircuitOwnerGrain? _owner;

    /// <summary>The boards of the circuit's node: this controller's, or a node's whose failover bus it has taken over.</summary>
    protected SiteMap Site { get; private set; } = null!;

    /// <summary>The grains of the circuit's node (a circuit grain is always placed where its node's boards are polled).</summary>
    protected NodeGrains NodeGrains => new(GrainFactory, Site.Configuration.Node);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = NodeKey.LocalOf(this.GetPrimaryKeyString());
        Site = maps.For(NodeKey.NodeOf(this.GetPrimaryKeyString()));
        return Task.CompletedTask;
    }

    public async Task<DeviceState?> GetStateAsync() => await OwnerAsync() is { } owner ? await owner.GetStateAsync(_key) : null;

    public async Task<DeviceState> SetAsync(ImmutableArray<PropertyAssignment> assignments)
    {
        var alias = assignments.LastOrDefault(assignment => assignment.Name == "alias");
        var hardware = assignments.RemoveAll(assignment => assignment.Name == "alias");

        // A malformed alias is refused before anything is written; the site grain checks that it is free.
        if (alias is not null && AliasRules.Problem(alias.Value) is { } problem)
        {
            throw new DeviceWriteException("alias", problem);
        }

        var owner = await OwnerAsync() ?? throw new KeyNotFoundException($"no circuit '{_key}' in this site");
        var state = hardware.IsEmpty ? null : await owner.SetAsync(_key, hardware);
        if (alias is not null)
        {
            // The state now shows the new alias: read it again below.
            await NodeGrains.Site.SetAliasAsync(_key, alias.Value);
            state = null;
        }

        return state ?? await owner.GetStateAsync(_key) ?? throw new DeviceWriteException("value", $"{_key} has not been read from its board yet");
    }

    /// <summary>The grain that holds this circuit's state; null when none does (a 1-Wire device not found yet).</summary>
    protected virtual ValueTask<ICircuitOwnerGrain?> FindOwnerAsync(string key) =>
        ValueTask.FromResult<ICircuitOwnerGrain?>(Site.FindCircuit(key) is var (board, _) ? NodeGrains.Poller(board.Name) : null);

    private async ValueTask<ICircuitOwnerGrain?> OwnerAsync() => _owner ??= await FindOwnerAsync(_key);

    protected async Task<TState> SetValueAsync(double value) =>
        (TState)await SetAsync([new PropertyAssignment("value", value.ToString(CultureInfo.InvariantCulture))]);
}

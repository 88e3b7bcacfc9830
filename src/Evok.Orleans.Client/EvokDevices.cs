using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Abstractions.Writes;

namespace Evok.Orleans.Client;

/// <summary>
/// Devices by Evok type name (any alternative: relay, ro, do, di, input, ai, ao, sensor, temp, owbus, ...) and circuit name or alias.
/// Reads come from grain state, never from Modbus. Used by client apps, the CLI and the HTTP API alike. In a site
/// of several controllers it addresses one of them (<see cref="Node"/>), by the names that controller's config gives.
/// </summary>
public sealed class EvokDevices(IGrainFactory grains)
{
    /// <summary>The controller addressed; empty for a controller on its own.</summary>
    public string Node { get; init; } = string.Empty;

    /// <summary>The device JSON <see cref="DeviceState.ToJson"/> callers of this object render (the API: the site's <c>json_names</c>).</summary>
    public EvokJsonStyle JsonStyle { get; init; } = EvokJsonStyle.Evok2;

    private NodeGrains Grains => new(grains, Node);

    private ISiteGrain Site => Grains.Site;

    /// <summary>The same devices of another controller of the site.</summary>
    public EvokDevices OfNode(string node) => node == Node ? this : new EvokDevices(grains) { Node = node, JsonStyle = JsonStyle };

    /// <summary>Every device, or those of one type name.</summary>
    public async Task<ImmutableArray<DeviceState>> ListAsync(string? typeName = null)
    {
        var all = await ReachAsync(Site.GetAllStatesAsync);
        if (typeName is null)
        {
            return all;
        }

        var mask = Mask(DeviceTypeNames.ForRequest(typeName));
        return [.. all.Where(state => mask.Contains(state.Kind))];
    }

    /// <summary>Circuit key (e.g. <c>relay:2_04</c>) → alias, for every circuit that has one.</summary>
    public async Task<ImmutableDictionary<string, string>> AliasesAsync() => await ReachAsync(Site.GetAliasesAsync);

    /// <summary>Every board's communication state and every webhook's outbox.</summary>
    public Task<SiteStatus> StatusAsync() => ReachAsync(Site.GetStatusAsync);

    /// <summary>The grain key (e.g. <c>relay:2_04</c>) of a device.</summary>
    public async Task<string> ResolveAsync(string typeName, string circuitOrAlias) =>
        await ReachAsync(() => Site.ResolveAsync(DeviceTypeNames.ForRequest(typeName), circuitOrAlias)) ?? throw new DeviceNotFoundException(typeName, circuitOrAlias);

    public async Task<DeviceState> GetAsync(string typeName, string circuitOrAlias)
    {
        var read = await ReachAsync(() => Site.ReadAsync(DeviceTypeNames.ForRequest(typeName), circuitOrAlias));
        return read.Key is null
            ? throw new DeviceNotFoundException(typeName, circuitOrAlias)
            : read.State ?? throw new DeviceNotReadException(typeName, circuitOrAlias);
    }

    /// <summary>
    /// Sets properties (<c>value</c>, <c>mode</c>, <c>alias</c>, ...) and returns the state read back from the board.
    /// A bad value throws <see cref="DeviceWriteException"/> and nothing is written.
    /// </summary>
    public async Task<DeviceState> SetAsync(string typeName, string circuitOrAlias, params IEnumerable<PropertyAssignment> assignments)
    {
        var key = await ResolveAsync(typeName, circuitOrAlias);
        var kind = key[..key.IndexOf(':', StringComparison.Ordinal)];
        if (kind == DeviceTypeNames.KeyPrefix(DeviceKind.ModbusSlave) || kind == DeviceTypeNames.KeyPrefix(DeviceKind.DeviceInfo))
        {
            throw new DeviceWriteException(assignments.FirstOrDefault()?.Name ?? "value", $"{typeName} '{circuitOrAlias}' is read-only");
        }

        return await ReachAsync(() => Grains.Circuit(key).SetAsync([.. assignments]));
    }

    /// <summary>
    /// A call to another controller's grains that fails for want of its silo (placement finds no such member, the
    /// silo died, the call timed out) is <see cref="NodeUnavailableException"/>: the caller can say "controller down"
    /// instead of a server error. On a controller on its own such failures stay what they are.
    /// </summary>
    private async Task<T> ReachAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (NodeUnavailableException)
        {
            throw;
        }
        catch (Exception exception) when (Node.Length > 0 && exception is TimeoutException or OrleansMessageRejectionException or global::Orleans.Runtime.Messaging.ConnectionFailedException)
        {
            throw NodeUnavailableException.Of(Node, exception);
        }
    }

    /// <summary>A mask from type names; unknown names throw <see cref="ArgumentException"/>.</summary>
    public static DeviceMask Mask(params IEnumerable<string> typeNames) =>
        DeviceMask.TryParse(typeNames, out var mask, out var unknown)
            ? mask
            : throw new ArgumentException($"unknown device type '{unknown}'", nameof(typeNames));
}

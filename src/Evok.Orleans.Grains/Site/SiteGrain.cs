using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Site;

/// <summary>Site-wide lookups and the alias registry. Aliases are unique across the site and never shadow a circuit name.</summary>
[KeepAlive]
public sealed class SiteGrain(SiteMap site, AliasStore store) : Grain, ISiteGrain
{
    private readonly Dictionary<string, string> _aliasByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _keyByAlias = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var (key, alias) in store.Initial)
        {
            if (site.FindCircuit(key) is not null)
            {
                _aliasByKey[key] = alias;
                _keyByAlias[alias] = key;
            }
        }

        return Task.CompletedTask;
    }

    public Task<ImmutableArray<string>> GetDevicesAsync() =>
        Task.FromResult(site.Boards.Select(board => board.Name).ToImmutableArray());

    public async Task<ImmutableArray<DeviceState>> GetAllStatesAsync()
    {
        var perDevice = await Task.WhenAll(site.Boards.Select(board =>
            GrainFactory.GetGrain<IModbusDevicePollerGrain>(board.Name).GetStatesAsync()));
        return [.. perDevice.SelectMany(states => states)];
    }

    public async Task<SiteStatus> GetStatusAsync()
    {
        var devices = Task.WhenAll(site.Boards.Select(board => GrainFactory.GetGrain<IModbusDevicePollerGrain>(board.Name).GetStatusAsync()));
        var webhooks = Task.WhenAll(site.Configuration.Api.Webhooks.Select(webhook => GrainFactory.GetGrain<IWebhookOutboxGrain>(webhook.Name).GetStatusAsync()));
        return new SiteStatus([.. await devices], [.. await webhooks]);
    }

    public Task<string?> ResolveAsync(string typeName, string circuitOrAlias)
    {
        if (!DeviceTypeNames.TryResolve(typeName, out var kinds))
        {
            return Task.FromResult<string?>(null);
        }

        if (kinds.Contains(DeviceKind.ModbusSlave) && site.FindBoard(circuitOrAlias) is not null)
        {
            return Task.FromResult<string?>(DeviceTypeNames.CircuitKey(DeviceKind.ModbusSlave, circuitOrAlias));
        }

        foreach (var kind in kinds)
        {
            if (site.FindCircuit(DeviceTypeNames.CircuitKey(kind, circuitOrAlias)) is { } found && kinds.Contains(found.Circuit.Kind))
            {
                return Task.FromResult<string?>(found.Circuit.Key);
            }
        }

        if (_keyByAlias.TryGetValue(circuitOrAlias, out var key) && kinds.Contains(site.FindCircuit(key)!.Value.Circuit.Kind))
        {
            return Task.FromResult<string?>(key);
        }

        return Task.FromResult<string?>(null);
    }

    public Task<ImmutableDictionary<string, string>> GetAliasesAsync() =>
        Task.FromResult(_aliasByKey.ToImmutableDictionary(StringComparer.Ordinal));

    public async Task SetAliasAsync(string circuitKey, string alias)
    {
        var (board, _) = site.FindCircuit(circuitKey) ?? throw new KeyNotFoundException($"no circuit '{circuitKey}' in this site");
        if (alias.Length > 0)
        {
            if (AliasRules.Problem(alias) is { } problem)
            {
                throw new DeviceWriteException("alias", problem);
            }

            if (_keyByAlias.TryGetValue(alias, out var holder) && holder != circuitKey)
            {
                throw new DeviceWriteException("alias", $"alias '{alias}' is already used by {holder}");
            }

            if (site.Boards.Any(b => b.Circuits.Any(c => c.Name == alias)))
            {
                throw new DeviceWriteException("alias", $"alias '{alias}' is the name of a circuit");
            }
        }

        if (_aliasByKey.Remove(circuitKey, out var previous))
        {
            _keyByAlias.Remove(previous);
        }

        if (alias.Length > 0)
        {
            _aliasByKey[circuitKey] = alias;
            _keyByAlias[alias] = circuitKey;
        }

        await store.SaveAsync(_aliasByKey);
        await GrainFactory.GetGrain<IModbusDevicePollerGrain>(board.Name).SetAliasAsync(circuitKey, alias.Length > 0 ? alias : null);
    }
}

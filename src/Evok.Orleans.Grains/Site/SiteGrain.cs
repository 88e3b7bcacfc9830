using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Site;

/// <summary>
/// Site-wide lookups and alias changes. Aliases are kept by the silo's <see cref="AliasRegistry"/>; this grain
/// changes them there and tells the circuit's poller. Calls go one way only (site → pollers), so no grain here can
/// wait on one that waits on it.
/// </summary>
public sealed class SiteGrain(SiteMap site, AliasRegistry aliases) : Grain, ISiteGrain
{
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

        if (aliases.KeyOf(circuitOrAlias) is { } key && kinds.Contains(site.FindCircuit(key)!.Value.Circuit.Kind))
        {
            return Task.FromResult<string?>(key);
        }

        return Task.FromResult<string?>(null);
    }

    public Task<ImmutableDictionary<string, string>> GetAliasesAsync() => Task.FromResult(aliases.Snapshot());

    public async Task SetAliasAsync(string circuitKey, string alias)
    {
        var (board, _) = site.FindCircuit(circuitKey) ?? throw new KeyNotFoundException($"no circuit '{circuitKey}' in this site");
        await aliases.SetAsync(circuitKey, alias);
        await GrainFactory.GetGrain<IModbusDevicePollerGrain>(board.Name).SetAliasAsync(circuitKey, alias.Length > 0 ? alias : null);
    }
}

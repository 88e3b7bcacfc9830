using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Orleans.Concurrency;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// The site as a whole (key <see cref="Key"/>): every device's state, lookup by type name and circuit or alias, and
/// the alias registry (unique across the site, persisted by the silo). It calls the pollers and nothing calls back
/// into it; its reads interleave for throughput only (an alias change waiting for its file must not hold up the API).
/// </summary>
public interface ISiteGrain : IGrainWithStringKey
{
    public const string Key = "site";

    /// <summary>Names of the Modbus devices, in config order.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<string>> GetDevicesAsync();

    /// <summary>
    /// The keys of the change channels (<c>evok.device-changes/&lt;key&gt;</c>) and their subscriber grains: every
    /// Modbus device's name, then every 1-Wire bus's <c>owbus:&lt;name&gt;</c>.
    /// </summary>
    [AlwaysInterleave]
    Task<ImmutableArray<string>> GetChangeChannelsAsync();

    /// <summary>The state of every circuit of every device, from the pollers' memory (never from Modbus).</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<DeviceState>> GetAllStatesAsync();

    /// <summary>The grain key (e.g. <c>relay:2_04</c>) a type name and a circuit name or alias stand for; null if none.</summary>
    [AlwaysInterleave]
    Task<string?> ResolveAsync(string typeName, string circuitOrAlias);

    /// <summary>Every device's communication state and every webhook's outbox.</summary>
    [AlwaysInterleave]
    Task<SiteStatus> GetStatusAsync();

    /// <summary>A <c>device_info</c> device (fixed by the configuration); null when there is none of that circuit.</summary>
    [AlwaysInterleave]
    Task<DeviceInfoState?> GetDeviceInfoAsync(string circuit);

    /// <summary>Circuit key → alias for every circuit that has one.</summary>
    [AlwaysInterleave]
    Task<ImmutableDictionary<string, string>> GetAliasesAsync();

    /// <summary>Gives a circuit an alias (empty removes it); refused when another circuit holds it or it has bad characters.</summary>
    Task SetAliasAsync(string circuitKey, string alias);
}

using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Orleans.Concurrency;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// A controller's devices as a whole (key <see cref="Key"/>; in a site of several controllers each has its own,
/// reached through <see cref="NodeGrains.Site"/>): every device's state, lookup by type name and circuit or alias, and
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

    /// <summary>
    /// Resolves a type name and circuit or alias (as <see cref="ResolveAsync"/>) and reads the device's state from the
    /// grain that holds it, in one call: a read through another controller of a site crosses to it once.
    /// </summary>
    [AlwaysInterleave]
    Task<DeviceRead> ReadAsync(string typeName, string circuitOrAlias);

    /// <summary>Every device's communication state and every webhook's outbox.</summary>
    [AlwaysInterleave]
    Task<SiteStatus> GetStatusAsync();

    /// <summary>Circuit key → alias for every circuit that has one.</summary>
    [AlwaysInterleave]
    Task<ImmutableDictionary<string, string>> GetAliasesAsync();

    /// <summary>Gives a circuit an alias (empty removes it); refused when another circuit holds it or it has bad characters.</summary>
    Task SetAliasAsync(string circuitKey, string alias);
}

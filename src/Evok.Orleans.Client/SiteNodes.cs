using System.Collections.Immutable;

namespace Evok.Orleans.Client;

/// <summary>The controllers of a site, read from Orleans' membership through its management grain.</summary>
public static class SiteNodes
{
    /// <summary>
    /// Every node, by name: a controller that restarted has an entry per start in the membership table, the newest
    /// one says whether it is up.
    /// </summary>
    public static async Task<ImmutableArray<SiteNode>> ListAsync(IGrainFactory grains)
    {
        var entries = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        return
        [
            .. entries
                .GroupBy(entry => entry.SiloName, StringComparer.Ordinal)
                .Select(starts => starts.MaxBy(entry => entry.StartTime)!)
                .OrderBy(entry => entry.SiloName, StringComparer.Ordinal)
                .Select(entry => new SiteNode(entry.SiloName, entry.Status.ToString().ToLowerInvariant(), $"{entry.SiloAddress.Endpoint}")),
        ];
    }
}

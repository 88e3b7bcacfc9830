using System.Collections.Concurrent;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Configuration;
using Orleans.GrainDirectory;

namespace Evok.Orleans.Grains.Placement;

/// <summary>
/// Where a site's node-owned grains are found. Orleans' own directory spreads every grain's entry over all silos of
/// the cluster, so a controller that loses power takes part of every other controller's directory with it, and
/// their own REST reads fail until it is declared dead (measured: 503s on plc1 for plc1's own relay after plc3 was
/// killed). A node-owned grain can only live on its node's silo (<see cref="NodePlacementDirector"/>), so its entry
/// is kept there and nowhere else: a controller's own grains depend on no other controller, and another
/// controller's grains are found where that controller's silo is, by its name in the membership.
/// </summary>
internal sealed class NodeGrainDirectory(SiteConfiguration site, IClusterMembershipService membership) : IGrainDirectory
{
    public const string Name = "evok-node";

    private readonly ConcurrentDictionary<GrainId, GrainAddress> _own = new();

    public Task<GrainAddress?> Register(GrainAddress address)
    {
        if (NodeOf(address.GrainId) != site.Node)
        {
            // Activated where it does not belong (a message that was on its way while its controller restarted):
            // the owner's address makes Orleans drop this activation and forward the message there.
            return Task.FromResult(OwnerOf(address.GrainId));
        }

        return Task.FromResult<GrainAddress?>(_own.GetOrAdd(address.GrainId, address));
    }

    public Task Unregister(GrainAddress address)
    {
        if (_own.TryGetValue(address.GrainId, out var registered) && registered.Matches(address))
        {
            _own.TryRemove(new KeyValuePair<GrainId, GrainAddress>(address.GrainId, registered));
        }

        return Task.CompletedTask;
    }

    public Task<GrainAddress?> Lookup(GrainId grainId) => Task.FromResult(
        NodeOf(grainId) == site.Node ? _own.GetValueOrDefault(grainId) : OwnerOf(grainId));

    public Task UnregisterSilos(List<SiloAddress> siloAddresses)
    {
        foreach (var (grain, address) in _own)
        {
            if (siloAddresses.Contains(address.SiloAddress!))
            {
                _own.TryRemove(new KeyValuePair<GrainId, GrainAddress>(grain, address));
            }
        }

        return Task.CompletedTask;
    }

    private static string NodeOf(GrainId grain) => NodeKey.NodeOf(grain.Key.ToString() ?? string.Empty);

    /// <summary>
    /// The silo of the grain's node, without its activation id (a message names the grain and the silo; that silo
    /// activates the grain if it has to), as Orleans' own cache keeps addresses it learnt from messages. Null when
    /// the node has no active silo: then placement answers the caller with <see cref="NodeUnavailableException"/>.
    /// </summary>
    private GrainAddress? OwnerOf(GrainId grain)
    {
        var snapshot = membership.CurrentSnapshot;
        var node = NodeOf(grain);
        foreach (var member in snapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active && member.Name == node)
            {
                return new GrainAddress { GrainId = grain, SiloAddress = member.SiloAddress, MembershipVersion = snapshot.Version };
            }
        }

        return null;
    }
}

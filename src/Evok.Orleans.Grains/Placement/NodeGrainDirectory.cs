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
/// controller's grains are found where that controller's silo is, by its name in the membership, or where its
/// failover buses are polled while it is down (<see cref="NodeOwnership"/>).
/// </summary>
internal sealed class NodeGrainDirectory(SiteConfiguration site, NodeOwnership ownership, ILocalSiloDetails local) : IGrainDirectory
{
    public const string Name = "evok-node";

    private readonly ConcurrentDictionary<GrainId, GrainAddress> _own = new();

    public Task<GrainAddress?> Register(GrainAddress address)
    {
        var node = NodeOf(address.GrainId);
        if (node != site.Node && !local.SiloAddress.Equals(ownership.SiloOf(node)))
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

    /// <summary>
    /// An activation of this silo first: besides its own node's grains, those of a node it stands in for, which stay
    /// reachable from here until they are deactivated when that node is back (<see cref="Failover.FailoverStandby"/>).
    /// </summary>
    public Task<GrainAddress?> Lookup(GrainId grainId) => Task.FromResult(
        _own.TryGetValue(grainId, out var address) ? address : NodeOf(grainId) == site.Node ? null : OwnerOf(grainId));

    /// <summary>The activations of <paramref name="node"/>'s grains registered here.</summary>
    public IEnumerable<GrainId> ActivationsOf(string node) => _own.Keys.Where(grain => NodeOf(grain) == node);

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
    /// the node has no active silo and nobody stands in for it: then placement answers the caller with
    /// <see cref="NodeUnavailableException"/>.
    /// </summary>
    private GrainAddress? OwnerOf(GrainId grain) => ownership.SiloOf(NodeOf(grain)) is { } silo
        ? new GrainAddress { GrainId = grain, SiloAddress = silo, MembershipVersion = ownership.Version }
        : null;
}

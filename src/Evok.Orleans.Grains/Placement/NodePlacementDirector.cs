using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Configuration;
using Orleans.Runtime.Placement;

namespace Evok.Orleans.Grains.Placement;

/// <summary>
/// Picks the active silo whose name (<c>SiloOptions.SiloName</c> = <c>cluster.node</c>) is the node of the grain's
/// key. A node that is not an active member has nowhere to run its grains: the call fails at once with
/// <see cref="NodeUnavailableException"/> instead of the grains starting on a controller without that bus. A
/// controller on its own places everything on itself, whatever the key.
/// </summary>
internal sealed class NodePlacementDirector(SiteConfiguration site, IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var node = NodeKey.NodeOf(target.GrainIdentity.Key.ToString() ?? string.Empty);
        if (site.Cluster is null || node == site.Node)
        {
            return Task.FromResult(context.LocalSilo);
        }

        var compatible = context.GetCompatibleSilos(target);
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active && member.Name == node && compatible.Contains(member.SiloAddress))
            {
                return Task.FromResult(member.SiloAddress);
            }
        }

        throw NodeUnavailableException.Of(node);
    }
}

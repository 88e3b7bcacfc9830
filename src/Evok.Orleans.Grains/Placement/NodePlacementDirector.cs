using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;

namespace Evok.Orleans.Grains.Placement;

/// <summary>
/// Picks the active silo whose name (<c>SiloOptions.SiloName</c> = <c>cluster.node</c>) is the node of the grain's
/// key, or, while that node is down, the silo standing in for its failover buses (<see cref="NodeOwnership"/>). A
/// node that has neither has nowhere to run its grains: the call fails at once with
/// <see cref="NodeUnavailableException"/> instead of the grains starting on a controller without that bus. A
/// controller on its own places everything on itself, whatever the key.
/// </summary>
internal sealed class NodePlacementDirector(SiteConfiguration site, IServiceProvider services) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var node = NodeKey.NodeOf(target.GrainIdentity.Key.ToString() ?? string.Empty);
        if (site.Cluster is null || node == site.Node)
        {
            return Task.FromResult(context.LocalSilo);
        }

        // Resolved here, not injected: a controller on its own has no silo metadata to know standbys by.
        var silo = services.GetRequiredService<NodeOwnership>().SiloOf(node);
        return silo is not null && context.GetCompatibleSilos(target).Contains(silo)
            ? Task.FromResult(silo)
            : throw NodeUnavailableException.Of(node);
    }
}

using System.Collections.Immutable;
using Evok.Orleans.Hardware.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Evok.Orleans.Grains.Placement;

/// <summary>
/// Which silo runs a node's grains, computed alike on every silo from the same membership: the node's own silo while
/// it is an active member; once the membership has declared it dead, the silo that stands in for its failover buses
/// (each silo publishes the nodes it stands in for as its Orleans silo metadata, <see cref="StandbyForKey"/>), the
/// longest-running of them if several do. Choosing the oldest rather than the first by name means a controller that
/// comes back never takes a node over from another standby that already has it: only the node itself takes its
/// grains back.
/// </summary>
internal sealed class NodeOwnership(SiteConfiguration site, IClusterMembershipService membership, ISiloMetadataCache metadata, ILocalSiloDetails local)
{
    private readonly ImmutableArray<string> _standbyNodes = site.StandbyNodes;

    public const string StandbyForKey = "evok.standby_for";

    /// <summary>The silo of <paramref name="node"/>'s grains; null when the node is down and nobody stands in for it.</summary>
    public SiloAddress? SiloOf(string node)
    {
        var members = membership.CurrentSnapshot.Members.Values;
        if (members.FirstOrDefault(member => member.Name == node && member.Status == SiloStatus.Active) is { } own)
        {
            return own.SiloAddress;
        }

        // A node not yet seen (a site starting up, its controllers coming up one by one) is waited for, not stood in for.
        if (!members.Any(member => member.Name == node && member.Status == SiloStatus.Dead))
        {
            return null;
        }

        return members
            .Where(member => member.Status == SiloStatus.Active && StandsInFor(member.SiloAddress, node))
            .MinBy(member => member.SiloAddress.Generation)?.SiloAddress;
    }

    public MembershipVersion Version => membership.CurrentSnapshot.Version;

    /// <summary>The node's own silo is an active member.</summary>
    public bool IsUp(string node) =>
        membership.CurrentSnapshot.Members.Values.Any(member => member.Status == SiloStatus.Active && member.Name == node);

    private bool StandsInFor(SiloAddress silo, string node)
    {
        if (silo.Equals(local.SiloAddress))
        {
            return _standbyNodes.Contains(node);
        }

        return metadata.GetSiloMetadata(silo)?.Metadata.TryGetValue(StandbyForKey, out var nodes) == true
            && nodes.Split(',').Contains(node, StringComparer.Ordinal);
    }
}

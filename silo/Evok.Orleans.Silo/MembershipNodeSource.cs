using System.Collections.Immutable;
using Evok.Orleans.Api.Http;
using Evok.Orleans.Client;

namespace Evok.Orleans.Silo;

/// <summary>
/// The site's controllers from this silo's membership snapshot: no call leaves the silo (the management grain may
/// live on a controller that is down). A controller that restarted is listed by its newest start.
/// </summary>
internal sealed class MembershipNodeSource(IClusterMembershipService membership) : ISiteNodeSource
{
    public ImmutableArray<SiteNode> Current() =>
    [
        .. membership.CurrentSnapshot.Members.Values
            .GroupBy(member => member.Name, StringComparer.Ordinal)
            .Select(starts => starts.MaxBy(member => member.SiloAddress.Generation)!)
            .OrderBy(member => member.Name, StringComparer.Ordinal)
            .Select(member => new SiteNode(member.Name, member.Status.ToString().ToLowerInvariant(), $"{member.SiloAddress.Endpoint}")),
    ];
}

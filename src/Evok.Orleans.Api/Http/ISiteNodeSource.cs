using System.Collections.Immutable;
using Evok.Orleans.Client;

namespace Evok.Orleans.Api.Http;

/// <summary>
/// The site's controllers as this silo's own view of the membership knows them (the silo provides it): answering
/// <c>GET /nodes</c> must not depend on any other controller, least of all one that just died.
/// </summary>
public interface ISiteNodeSource
{
    ImmutableArray<SiteNode> Current();
}

using Evok.Orleans.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Evok.Orleans.Api.Http;

/// <summary>
/// A site of several controllers from any one of them: <c>GET /nodes</c> lists the controllers, and every Evok
/// endpoint is also served under <c>/nodes/{node}/</c> for that controller's devices (<c>/nodes/plc2/rest/relay/1_01</c>),
/// reads and writes alike, the write carried out by the controller that owns the board.
/// </summary>
public static class SiteNodeEndpoints
{
    public static IEndpointRouteBuilder MapSiteNodes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/nodes", (ISiteNodeSource nodes, EvokApiOptions options) => Results.Json(nodes.Current().Select(node => new
        {
            node = node.Name,
            status = node.Status,
            address = node.Address,
            self = node.Name == options.Node,
        }))).RequireAuthorization(ApiAccess.Read);
        routes.MapGroup($"/nodes/{{{RequestDevices.NodeRouteValue}}}").MapEvokHttp();
        return routes;
    }
}

using System.Reflection;
using Evok.Orleans.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Evok.Orleans.Api.Http;

/// <summary>
/// The devices a request addresses: this controller's (Evok's own paths, unqualified names), or under
/// <c>/nodes/{node}/</c> those of another controller of the site, by the names its own config gives them.
/// </summary>
public readonly record struct RequestDevices(EvokDevices Devices)
{
    public const string NodeRouteValue = "node";

    /// <summary>How minimal APIs bind it: from the silo's <see cref="EvokDevices"/> and the route's node.</summary>
    public static ValueTask<RequestDevices> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var devices = context.RequestServices.GetRequiredService<EvokDevices>();
        return ValueTask.FromResult(new RequestDevices(
            context.GetRouteValue(NodeRouteValue) is string node ? devices.OfNode(node) : devices));
    }
}

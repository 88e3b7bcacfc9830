using System.Collections.Frozen;
using System.Net;
using System.Net.NetworkInformation;
using Evok.Orleans.Api.Http;
using Microsoft.AspNetCore.Http;

namespace Evok.Orleans.Api.Security;

/// <summary>
/// Refuses what a browser can be tricked into sending: a request whose <c>Host</c> is not a name of this controller
/// (DNS rebinding: 421), and a state-changing request or WebSocket handshake from a page of another origin (a
/// cross-site form, <c>text/plain</c> or JSON POST needs no preflight: 403). Programs that send no <c>Origin</c> and no
/// <c>Sec-Fetch-Site</c> (curl, Evok clients, PLCs) are not browsers and pass.
/// </summary>
internal sealed class BrowserRequestGuard(RequestDelegate next, EvokApiOptions options)
{
    private readonly bool _anyHost = options.Hosts.Contains("*");
    private readonly FrozenSet<string> _hosts = ThisMachinesNames().Concat(options.Hosts).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    private readonly FrozenSet<string> _origins = options.CorsOrigins.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!_anyHost && !_hosts.Contains(request.Host.Host.Trim('[', ']')))
        {
            return RefuseAsync(context, new ApiError(StatusCodes.Status421MisdirectedRequest, "MisdirectedRequest",
                $"host '{request.Host.Host}' is not a name of this controller (add it to apis.hosts)"));
        }

        var changesState = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) ||
            context.WebSockets.IsWebSocketRequest;
        if (changesState && ForeignOrigin(request) is { } origin)
        {
            return RefuseAsync(context, new ApiError(StatusCodes.Status403Forbidden, "Forbidden",
                $"a page of {origin} may not use this API (add its origin to apis.cors_origins)"));
        }

        return next(context);
    }

    /// <summary>The other site a browser says the request comes from, or null for this site and for non-browsers.</summary>
    private string? ForeignOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            var own = $"{request.Scheme}://{request.Host.Value}";
            return origin.Equals(own, StringComparison.OrdinalIgnoreCase) || _origins.Contains(origin) ? null : origin;
        }

        // A browser that sends no Origin still says where the request comes from.
        return request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site" ? "another site" : null;
    }

    private static async Task RefuseAsync(HttpContext context, ApiError error)
    {
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(error.ToJson());
    }

    /// <summary>Loopback names, this machine's host name and every address of its interfaces.</summary>
    private static IEnumerable<string> ThisMachinesNames()
    {
        string[] loopback = ["localhost", "127.0.0.1", "::1"];
        var hostName = Dns.GetHostName();
        IEnumerable<string> addresses;
        try
        {
            addresses = NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(network => network.GetIPProperties().UnicastAddresses)
                .Select(unicast => unicast.Address.ToString());
        }
        catch (NetworkInformationException)
        {
            addresses = [];
        }

        return [.. loopback, hostName, $"{hostName}.local", .. addresses];
    }
}

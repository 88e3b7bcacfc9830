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
    private readonly FrozenSet<string> _origins = options.CorsOrigins.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    private FrozenSet<string> _hosts = Names(options);
    private long _nextRefresh;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!_anyHost && !IsThisController(request.Host.Host.Trim('[', ']')))
        {
            return new ApiError(StatusCodes.Status421MisdirectedRequest, "MisdirectedRequest",
                $"host '{request.Host.Host}' is not a name of this controller (add it to apis.hosts)").WriteToAsync(context.Response);
        }

        var changesState = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) ||
            context.WebSockets.IsWebSocketRequest;
        if (changesState && ForeignOrigin(request) is { } origin)
        {
            return new ApiError(StatusCodes.Status403Forbidden, "Forbidden",
                $"a page of {origin} may not use this API (add its origin to apis.cors_origins)").WriteToAsync(context.Response);
        }

        return next(context);
    }

    /// <summary>
    /// Whether a Host names this controller. An address it does not know yet is looked up again (DHCP gave the
    /// controller a new one, an interface came up after the start), at most every 5 s so refused requests stay cheap.
    /// </summary>
    private bool IsThisController(string host)
    {
        if (_hosts.Contains(host))
        {
            return true;
        }

        var now = Environment.TickCount64;
        if (now < Volatile.Read(ref _nextRefresh))
        {
            return false;
        }

        Volatile.Write(ref _nextRefresh, now + 5_000);
        _hosts = Names(options);
        return _hosts.Contains(host);
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

    /// <summary>Loopback names, this machine's host name, every address of its interfaces, and <c>apis.hosts</c>.</summary>
    private static FrozenSet<string> Names(EvokApiOptions options)
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

        return new[] { hostName, $"{hostName}.local" }.Concat(loopback).Concat(addresses).Concat(options.Hosts)
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}

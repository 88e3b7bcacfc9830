using System.Collections.Frozen;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Evok.Orleans.Api.Http;
using Microsoft.AspNetCore.Http;

namespace Evok.Orleans.Api.Security;

/// <summary>
/// Refuses what a browser can be tricked into sending: a request whose <c>Host</c> is not a name of this controller
/// (DNS rebinding: 421), and a state-changing request or WebSocket handshake from a page of another origin (a
/// cross-site form, <c>text/plain</c> or JSON POST needs no preflight: 403). Programs that send no <c>Origin</c> and no
/// <c>Sec-Fetch-Site</c> (curl, Evok clients, PLCs) are not browsers and pass.
/// </summary>
internal sealed class BrowserRequestGuard
{
    private readonly RequestDelegate _next;
    private readonly EvokApiOptions _options;
    private readonly bool _anyHost;
    private readonly FrozenSet<string> _origins;
    private FrozenSet<string> _hosts;
    private FrozenSet<string> _dnsNames = FrozenSet<string>.Empty;
    private long _nextRefresh;
    private int _lookingUp;

    public BrowserRequestGuard(RequestDelegate next, EvokApiOptions options)
    {
        _next = next;
        _options = options;
        _anyHost = options.Hosts.Contains("*");
        _origins = options.CorsOrigins.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _hosts = Names(options);
        if (!_anyHost)
        {
            LookUpDnsNames();
        }
    }

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

        return _next(context);
    }

    /// <summary>
    /// Whether a Host names this controller. An address it does not know yet is looked up again (DHCP gave the
    /// controller a new one, an interface came up after the start), at most every 5 s so refused requests stay cheap.
    /// </summary>
    private bool IsThisController(string host)
    {
        if (_hosts.Contains(host) || Volatile.Read(ref _dnsNames).Contains(host))
        {
            return true;
        }

        var now = Environment.TickCount64;
        if (now < Volatile.Read(ref _nextRefresh))
        {
            return false;
        }

        Volatile.Write(ref _nextRefresh, now + 5_000);
        _hosts = Names(_options);
        LookUpDnsNames();
        return _hosts.Contains(host);
    }

    /// <summary>
    /// The names the local network's DNS gives this controller: its host name's full name and aliases (a forward
    /// look-up: <c>/etc/hosts</c>, or what DHCP registered, <c>plc.lan</c>) and the name each of its own addresses
    /// resolves back to. Forward-confirmed from our side, so a rebound name (the attacker's DNS pointing its own name at
    /// this address) is not among them. Looked up in the background: a slow or absent DNS server never holds a request.
    /// </summary>
    private void LookUpDnsNames()
    {
        if (Interlocked.Exchange(ref _lookingUp, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                await AddAsync(names, () => Dns.GetHostEntryAsync(Dns.GetHostName()));
                foreach (var address in InterfaceAddresses().Where(address => !IPAddress.IsLoopback(address) && !address.IsIPv6LinkLocal))
                {
                    await AddAsync(names, () => Dns.GetHostEntryAsync(address));
                }

                Volatile.Write(ref _dnsNames, names.ToFrozenSet(StringComparer.OrdinalIgnoreCase));
            }
            finally
            {
                Volatile.Write(ref _lookingUp, 0);
            }
        });
    }

    private static async Task AddAsync(HashSet<string> names, Func<Task<IPHostEntry>> lookUp)
    {
        try
        {
            var entry = await lookUp().WaitAsync(TimeSpan.FromSeconds(10));
            names.Add(entry.HostName);
            names.UnionWith(entry.Aliases);
        }
        catch (Exception exception) when (exception is SocketException or TimeoutException or ArgumentException)
        {
            // No such name: nothing to add.
        }
    }

    private static IEnumerable<IPAddress> InterfaceAddresses()
    {
        try
        {
            return [.. NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(network => network.GetIPProperties().UnicastAddresses)
                .Select(unicast => unicast.Address)];
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }

    /// <summary>The other site a browser says the request comes from, or null for this site and for non-browsers.</summary>
    private string? ForeignOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return SameOrigin(origin, request) || _origins.Contains(origin) ? null : origin;
        }

        // A browser that sends no Origin still says where the request comes from.
        return request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site" ? "another site" : null;
    }

    /// <summary>
    /// Whether an <c>Origin</c> names the site this request was sent to. Both sides are compared with their port
    /// spelled out: a browser leaves the default port out of <c>Origin</c> (<c>http://plc</c>), while a proxy in front of
    /// the API may spell it out in <c>Host</c> (Unipi's nginx site sends <c>Host: $host:$server_port</c>, <c>plc:80</c>).
    /// The scheme is the request's own: behind a proxy that is <c>http</c> even when the browser used <c>https</c>, so an
    /// <c>https</c> page is taken as its port 443's. (Several names reaching one controller are fine: each is compared
    /// with the <c>Host</c> of its own request, which <see cref="IsThisController"/> has already checked.)
    /// </summary>
    internal static bool SameOrigin(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var page) || page.Scheme is not ("http" or "https") || page.AbsolutePath != "/")
        {
            return false;
        }

        var host = request.Host;
        var requestPort = host.Port ?? (request.IsHttps ? 443 : 80);
        var hostName = host.Host.Trim('[', ']');
        return page.IdnHost.Trim('[', ']').Equals(hostName, StringComparison.OrdinalIgnoreCase) && page.Port == requestPort &&
            (page.Scheme == request.Scheme || (page.Scheme == "https" && !request.IsHttps && requestPort == 443));
    }

    /// <summary>Loopback names, this machine's host name, every address of its interfaces, and <c>apis.hosts</c>.</summary>
    private static FrozenSet<string> Names(EvokApiOptions options)
    {
        string[] loopback = ["localhost", "127.0.0.1", "::1"];
        var hostName = Dns.GetHostName();
        var addresses = InterfaceAddresses().Select(address => address.ToString());
        return new[] { hostName, $"{hostName}.local" }.Concat(loopback).Concat(addresses).Concat(options.Hosts)
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}

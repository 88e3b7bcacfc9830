using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Evok.Orleans.IntegrationTests.Security;

/// <summary>
/// What a page on another web site can make the controller's user's browser send, on the silo's defaults (loopback,
/// no tokens): nothing that changes state gets through, and a rebound DNS name is not answered.
/// </summary>
public sealed class BrowserRequestTests(OpenSite site) : IClassFixture<OpenSite>
{
    private const string Evil = "http://evil.example";

    public static TheoryData<string, string, string> CrossSitePosts() => new()
    {
        { "rest/relay/2_05", "application/x-www-form-urlencoded", "value=1" },
        { "json/relay/2_05", "text/plain", """{"value": 1}""" },
        { "bulk", "text/plain", """{"individual_assignments": [{"device_type": "relay", "device_circuit": "2_05", "assigned_values": {"value": 1}}]}""" },
    };

    [Theory]
    [MemberData(nameof(CrossSitePosts))]
    public async Task A_post_from_a_page_of_another_origin_is_refused_and_switches_nothing(string path, string contentType, string body)
    {
        using var http = site.Client();

        using var response = await http.SendAsync(Post(path, contentType, body, ("Origin", Evil)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            """{"success": false, "errors": {"Forbidden": "a page of http://evil.example may not use this API (add its origin to apis.cors_origins)"}}""",
            await response.Content.ReadAsStringAsync());
        Assert.False(site.Neuron[2].GetCoil(4));
    }

    [Fact]
    public async Task A_cross_site_post_without_an_origin_is_refused_by_its_fetch_metadata()
    {
        using var http = site.Client();

        using var response = await http.SendAsync(Post("rest/relay/2_05", "application/x-www-form-urlencoded", "value=1", ("Sec-Fetch-Site", "cross-site")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(site.Neuron[2].GetCoil(4));
    }

    [Fact]
    public async Task The_controllers_own_pages_an_allowed_origin_and_programs_without_an_origin_may_post()
    {
        using var http = site.Client();

        using var own = await http.SendAsync(Post("rest/led/1_01", "application/x-www-form-urlencoded", "value=1", ("Origin", $"http://127.0.0.1:{site.ApiPort}")));
        using var allowed = await http.SendAsync(Post("rest/led/1_01", "application/x-www-form-urlencoded", "value=0", ("Origin", SecuredSite.AllowedOrigin)));
        using var program = await http.SendAsync(Post("rest/led/1_01", "application/x-www-form-urlencoded", "value=0"));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(SecuredSite.AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.OK, program.StatusCode);
    }

    public static TheoryData<string, string> PagesOfThisControllerBehindAProxy() => new()
    {
        // Unipi's nginx site sends Host: $host:$server_port; the browser leaves the default port out of Origin.
        { "127.0.0.1:80", "http://127.0.0.1" },
        { "localhost:80", "http://localhost" },
        { $"{System.Net.Dns.GetHostName()}:80", $"http://{System.Net.Dns.GetHostName()}" },
        { $"{System.Net.Dns.GetHostName()}.local:80", $"http://{System.Net.Dns.GetHostName()}.local" },
        { "[::1]:80", "http://[::1]" },
        // A proxy that ends TLS and speaks plain HTTP to the API.
        { "127.0.0.1:443", "https://127.0.0.1" },
        // A proxy that passes the browser's Host as it is.
        { "127.0.0.1", "http://127.0.0.1:80" },
    };

    [Theory]
    [MemberData(nameof(PagesOfThisControllerBehindAProxy))]
    public async Task A_page_of_this_controller_may_post_whether_or_not_its_default_port_is_spelled_out(string host, string origin)
    {
        using var http = site.Client();
        using var request = Post("rest/led/1_02", "application/x-www-form-urlencoded", "value=1", ("Origin", origin));
        request.Headers.Host = host;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(site.Neuron[1].GetCoil(9)); // LED 1_02
        (await http.SendAsync(Post("rest/led/1_02", "application/x-www-form-urlencoded", "value=0"))).Dispose();
    }

    public static TheoryData<string, string> OtherOriginsOfTheSameHost() => new()
    {
        { "127.0.0.1:80", "http://127.0.0.1:8081" },
        { "127.0.0.1:80", "https://127.0.0.1" },
        { "127.0.0.1:443", "http://127.0.0.1" },
        { "127.0.0.1:80", "http://localhost" },
        { "127.0.0.1:80", "null" },
        { "127.0.0.1:80", "http://127.0.0.1/page" },
    };

    [Theory]
    [MemberData(nameof(OtherOriginsOfTheSameHost))]
    public async Task Another_port_scheme_or_name_than_the_requests_own_is_another_origin(string host, string origin)
    {
        using var http = site.Client();
        using var request = Post("rest/relay/2_06", "application/x-www-form-urlencoded", "value=1", ("Origin", origin));
        request.Headers.Host = host;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(site.Neuron[2].GetCoil(5));
    }

    [Fact]
    public async Task A_preflight_is_answered_for_an_allowed_origin_only()
    {
        using var http = site.Client();

        using var allowed = await http.SendAsync(Preflight(SecuredSite.AllowedOrigin));
        using var foreign = await http.SendAsync(Preflight(Evil));

        Assert.Equal(SecuredSite.AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.False(foreign.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("rebound.attacker.example:8080")]
    public async Task A_host_name_that_is_not_this_controllers_is_421(string host)
    {
        using var http = site.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "rest/all");
        request.Headers.Host = host;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.StartsWith("""{"success": false, "errors": {"MisdirectedRequest": """, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Localhost_is_answered()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{site.ApiPort}/") };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("version")).StatusCode);
    }

    [Fact]
    public async Task A_websocket_handshake_from_a_foreign_origin_is_refused_and_the_own_origin_connects()
    {
        using var foreign = new ClientWebSocket();
        foreign.Options.SetRequestHeader("Origin", Evil);
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(new Uri($"ws://127.0.0.1:{site.ApiPort}/ws"), CancellationToken.None));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);

        using var own = new ClientWebSocket();
        own.Options.SetRequestHeader("Origin", $"http://127.0.0.1:{site.ApiPort}");
        await own.ConnectAsync(new Uri($"ws://127.0.0.1:{site.ApiPort}/ws"), CancellationToken.None);
        Assert.Equal(WebSocketState.Open, own.State);
        await own.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    private static HttpRequestMessage Post(string path, string contentType, string body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "json/relay/2_05");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }
}

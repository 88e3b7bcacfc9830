using System.Net;
using System.Net.WebSockets;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Security;

/// <summary>With <c>apis.auth</c>, every part of the API needs a token of the right role, and refusals are Evok's error JSON.</summary>
public sealed class AuthenticationTests(SecuredSite site) : IClassFixture<SecuredSite>
{
    [Theory]
    [InlineData("GET", "rest/all")]
    [InlineData("GET", "json/relay/2_02")]
    [InlineData("GET", "status")]
    [InlineData("GET", "orleans/")]
    [InlineData("GET", "metrics")]
    [InlineData("GET", "health/ready")]
    [InlineData("GET", "version")]
    [InlineData("POST", "rest/relay/2_02")]
    [InlineData("POST", "bulk")]
    public async Task Without_a_token_the_api_answers_401_in_Evoks_error_shape(string method, string path)
    {
        using var http = site.Client();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}") : null });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.StartsWith("""{"success": false, "errors": {"Unauthorized": """, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_that_is_not_configured_is_401_and_the_dashboard_page_and_liveness_are_public()
    {
        using var stranger = site.Client(ApiTokens.Create());
        using var anonymous = site.Client();

        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("rest/all")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("devices")).StatusCode);
        Assert.Equal("Healthy", await anonymous.GetStringAsync("health/live"));
        using var reader = site.Client(site.ReadToken);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_read_token_reads_but_may_not_switch_and_a_write_token_switches()
    {
        using var reader = site.Client(site.ReadToken);
        using var writer = site.Client(site.WriteToken);

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("rest/relay/2_02")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("status")).StatusCode);
        var refused = await reader.PostAsync("rest/relay/2_02", new FormUrlEncodedContent([new("value", "1")]));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("""{"success": false, "errors": {"Forbidden": "token 'dashboard' may read, not write"}}""", await refused.Content.ReadAsStringAsync());
        Assert.False(site.Neuron[2].GetCoil(1));

        var switched = await writer.PostAsync("rest/relay/2_02", new FormUrlEncodedContent([new("value", "1")]));
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        Assert.True(site.Neuron[2].GetCoil(1));
        await writer.PostAsync("rest/relay/2_02", new FormUrlEncodedContent([new("value", "0")]));
    }

    [Fact]
    public async Task The_orleans_dashboard_opens_with_a_bearer_token_or_the_cookie_the_login_hands_out()
    {
        using var reader = site.Client(site.ReadToken);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("orleans/")).StatusCode);

        using var login = await reader.PostAsync("auth/dashboard", content: null);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("path=/orleans", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("orleans/SiloProperties/x")).StatusCode); // issue 15 row 14: was a 500

        using var browser = site.Client();
        browser.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("orleans/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("rest/all")).StatusCode); // the cookie opens the Orleans dashboard only
    }

    [Fact]
    public async Task A_websocket_authenticates_with_a_subprotocol_and_a_read_token_may_watch_but_not_set()
    {
        using var anonymous = new ClientWebSocket();
        await Assert.ThrowsAsync<WebSocketException>(() => anonymous.ConnectAsync(WebSocketUri, CancellationToken.None));

        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("evok");
        socket.Options.AddSubProtocol("bearer." + site.ReadToken);
        await socket.ConnectAsync(WebSocketUri, CancellationToken.None);
        Assert.Equal("evok", socket.SubProtocol);

        await SendAsync(socket, """{"cmd": "set", "dev": "relay", "circuit": "2_03", "value": 1}""");
        Assert.Equal("""{"success": false, "errors": {"Forbidden": "this connection's token may read, not write"}}""", await ReceiveAsync(socket));
        Assert.False(site.Neuron[2].GetCoil(2));

        // The connection lives on and still answers.
        await SendAsync(socket, """{"cmd": "full", "dev": "relay", "circuit": "2_03"}""");
        Assert.Contains("\"circuit\": \"2_03\"", await ReceiveAsync(socket), StringComparison.Ordinal);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    private Uri WebSocketUri => new($"ws://127.0.0.1:{site.ApiPort}/ws");

    private static Task SendAsync(ClientWebSocket socket, string text) => WebSocketText.SendAsync(socket, text);

    /// <summary>The next message that is not a change batch (a JSON array).</summary>
    private static async Task<string> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var text = await WebSocketText.ReceiveAsync(socket, timeout.Token);
            if (!text.StartsWith('['))
            {
                return text;
            }
        }
    }
}

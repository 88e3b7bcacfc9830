using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Evok.Orleans.IntegrationTests.Api;

/// <summary>Bodies and forms no client should send get Evok's error shape with a bounded message, never a 500.</summary>
[Collection(ApiCollection.Name)]
public sealed class HostileInputTests(ApiSite site)
{
    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_before_it_is_read()
    {
        // Only the request head is sent: the answer must come without the 2 MB body (an HttpClient upload would race
        // the server closing the connection after its 413 and fail with a broken pipe instead of reading the reply).
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(site.Address.Host, site.Address.Port);
        var stream = tcp.GetStream();
        var head = $"POST /json/relay/1_01 HTTP/1.1\r\nHost: {site.Address.Authority}\r\nContent-Type: application/json\r\nContent-Length: {2 * 1024 * 1024}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reply = await ReadReplyAsync(stream, timeout.Token);

        Assert.StartsWith("HTTP/1.1 413 ", reply, StringComparison.Ordinal);
        Assert.EndsWith("""{"success": false, "errors": {"body": "the body is larger than 1024 KB"}}""", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_quotes_at_most_40_characters_of_a_huge_value()
    {
        var response = await site.Http.PostAsync("rest/relay/1_01", Form(("value", new string('x', 200_000))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var quoted = new string('x', 40);
        Assert.Equal($$$"""{"success": false, "errors": {"value": "value must be 0 or 1, got '{{{quoted}}}\u2026'"}}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("value=%00", "the form cannot be read")]
    [InlineData("MANY", "the form cannot be read: Form value count limit 64 exceeded")]
    [InlineData("MULTIPART", "the form cannot be read")]
    public async Task A_form_that_cannot_be_read_is_a_400(string body, string problem)
    {
        HttpContent content = body switch
        {
            "MANY" => new StringContent(string.Join('&', Enumerable.Range(0, 1100).Select(i => $"k{i}=1")), Encoding.ASCII, "application/x-www-form-urlencoded"),
            "MULTIPART" => new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"value\"\r\n\r\n1", Encoding.ASCII),
            _ => new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        if (body == "MULTIPART")
        {
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        }

        var response = await site.Http.PostAsync("rest/relay/1_01", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writing_a_read_only_device_is_a_400_naming_it()
    {
        var response = await site.Http.PostAsync("rest/modbus_slave/1", Form(("alias", "x")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"success": false, "errors": {"alias": "modbus_slave '1' is read-only"}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bulk_work_is_bounded_and_a_failing_write_answers_its_own_entry_with_a_gateway_error()
    {
        var queries = string.Join(", ", Enumerable.Range(0, 300).Select(_ => """{"device_types": ["ai"], "device_circuits": []}"""));
        var tooMany = await site.Http.PostAsync("bulk", new StringContent($$"""{"group_queries": [{{queries}}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("300 entries in one bulk request; at most 256", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        site.Simulator[2].Offline = true;
        try
        {
            var bulk = await site.Http.PostAsync("bulk", new StringContent("""
                {"individual_assignments": [
                    {"device_type": "relay", "device_circuit": "2_01", "assigned_values": {"value": 1}},
                    {"device_type": "led", "device_circuit": "1_01", "assigned_values": {"value": 1}}]}
                """, Encoding.UTF8, "application/json"));
            var text = await bulk.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
            Assert.Contains("""{"success": false, "errors": {"bus": "relay '2_01' was not written: """, text, StringComparison.Ordinal);
            Assert.Contains("""{"dev": "led", "circuit": "1_01", "value": 1""", text, StringComparison.Ordinal);

            var single = await site.Http.PostAsync("rest/relay/2_01", Form(("value", "1")));
            Assert.True(single.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout, $"{single.StatusCode}");
            Assert.StartsWith("""{"success": false, "errors": {"bus": """, await single.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            site.Simulator[2].Offline = false;
        }
    }

    [Fact]
    public async Task A_websocket_client_asking_all_a_thousand_times_without_reading_is_answered_a_bounded_number_of_times()
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{site.ApiPort}/ws"), CancellationToken.None);
        var ask = Encoding.UTF8.GetBytes("""{"cmd": "all"}""");
        for (var i = 0; i < 1000; i++)
        {
            await socket.SendAsync(ask, System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
        }

        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"cmd": "full", "dev": "wd", "circuit": "1_01"}"""), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
        var replies = 0;
        var buffer = new byte[1024 * 1024];
        while (true)
        {
            var message = new MemoryStream();
            System.Net.WebSockets.WebSocketReceiveResult result;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            do
            {
                result = await socket.ReceiveAsync(buffer, deadline.Token);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            var text = Encoding.UTF8.GetString(message.ToArray());
            if (text.StartsWith("""{"dev": "wd",""", StringComparison.Ordinal))
            {
                break;
            }

            replies += text.StartsWith('[') && text.Length > 10_000 ? 1 : 0;
        }

        // Answered while nothing waited (what the socket buffers took), never once per request.
        Assert.InRange(replies, 1, 200);
        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(field => KeyValuePair.Create(field.Key, field.Value)));

    /// <summary>One HTTP/1.1 reply with a Content-Length body (the server may keep the connection open or close it).</summary>
    private static async Task<string> ReadReplyAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var reply = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var text = reply.ToString();
            var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headEnd >= 0)
            {
                var length = text[..headEnd].Split("\r\n").Select(line => line.Split(':', 2))
                    .Where(parts => parts.Length == 2 && parts[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .Select(parts => int.Parse(parts[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).Single();
                if (text.Length >= headEnd + 4 + length)
                {
                    return text;
                }
            }

            var read = await stream.ReadAsync(buffer, cancellation);
            Assert.True(read > 0, $"the connection closed before the reply was complete: {text}");
            reply.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }
}

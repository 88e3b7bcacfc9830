using System.Net.WebSockets;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Api;

/// <summary>Evok's WebSocket with a real client (System.Net.WebSockets).</summary>
[Collection(ApiCollection.Name)]
public sealed class WebSocketTests(ApiSite site)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Each_client_gets_only_the_types_its_filter_names()
    {
        using var outputs = await ConnectAsync();
        using var relays = await ConnectAsync();
        await FilterAsync(outputs, "ao");
        await FilterAsync(relays, "relay");

        site.Simulator[1].SetCoil(0, true);
        var relayMessages = await ReceiveUntilAsync(relays, "\"circuit\": \"1_01\"");
        site.Simulator[2].SetRegister(2, 800);
        var outputMessages = await ReceiveUntilAsync(outputs, "\"circuit\": \"2_01\"");

        // Other tests share this silo, so other relays or outputs may change too: only the types are asserted for them.
        Assert.All(relayMessages, message => Assert.StartsWith("[{\"dev\": \"relay\", ", message, StringComparison.Ordinal));
        Assert.All(outputMessages, message => Assert.StartsWith("[{\"dev\": \"ao\", ", message, StringComparison.Ordinal));
        Assert.Contains("\"circuit\": \"1_01\", \"value\": 1,", relayMessages[^1], StringComparison.Ordinal);
        Assert.Contains("\"value\": 2.0,", outputMessages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task All_answers_every_device_and_full_answers_one()
    {
        using var socket = await ConnectAsync();

        // sensor is an Evok type this site has none of: no change event can come between the answers.
        await FilterAsync(socket, "sensor");
        await SendAsync(socket, """{"cmd": "all"}""");
        var all = await ReceiveAsync(socket, Soon);
        await SendAsync(socket, """{"cmd": "full", "dev": "ai", "circuit": "1_01"}""");
        var full = await ReceiveAsync(socket, Soon);

        Assert.StartsWith("[{\"dev\": ", all, StringComparison.Ordinal);
        Assert.Contains("\"circuit\": \"2_1023\"", all, StringComparison.Ordinal);
        Assert.StartsWith("""{"dev": "ai", "circuit": "1_01", "value": """, full, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_writes_the_board_and_the_change_comes_back_as_an_event()
    {
        using var socket = await ConnectAsync();
        await FilterAsync(socket, "led");

        await SendAsync(socket, """{"cmd": "set", "dev": "led", "circuit": "1_04", "value": 1}""");
        var message = await ReceiveAsync(socket, Soon);

        Assert.Equal("""[{"dev": "led", "circuit": "1_04", "value": 1, "glob_dev_id": 2}]""", message);
        Assert.True(site.Simulator[1].GetCoil(8 + 3));
    }

    [Fact]
    public async Task A_hundred_garbage_messages_are_ignored_and_the_connection_still_answers()
    {
        using var socket = await ConnectAsync();
        await FilterAsync(socket, "sensor");
        var random = new Random(7);
        for (var i = 0; i < 100; i++)
        {
            var garbage = (i % 5) switch
            {
                0 => "not json at all",
                1 => "[1, 2, 3]",
                2 => """{"cmd": "explode"}""",
                3 => """{"cmd": "set", "dev": "relay", "circuit": "9_99", "value": 1}""",
                _ => new string([.. Enumerable.Range(0, 40).Select(_ => (char)random.Next(1, 0x7F))]),
            };
            await SendAsync(socket, garbage);
        }

        await socket.SendAsync(new byte[] { 0xFF, 0x00, 0x13 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await SendAsync(socket, """{"cmd": "full", "dev": "wd", "circuit": "1_01"}""");

        Assert.StartsWith("""{"dev": "wd", "circuit": "1_01",""", await ReceiveAsync(socket, Soon), StringComparison.Ordinal);
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    /// <summary>
    /// Sets the filter, then waits for the answer to a later command: commands are handled in order, so from then on
    /// only filtered changes arrive (events pushed before the filter took effect are read and dropped).
    /// </summary>
    private static async Task FilterAsync(ClientWebSocket socket, string type)
    {
        await SendAsync(socket, $$"""{"cmd": "filter", "devices": ["{{type}}"]}""");
        await SendAsync(socket, """{"cmd": "full", "dev": "wd", "circuit": "1_01"}""");
        while (!(await ReceiveAsync(socket, Soon))!.StartsWith("""{"dev": "wd",""", StringComparison.Ordinal))
        {
        }
    }

    private static async Task<List<string>> ReceiveUntilAsync(ClientWebSocket socket, string fragment)
    {
        var messages = new List<string>();
        do
        {
            messages.Add((await ReceiveAsync(socket, Soon))!);
        }
        while (!messages[^1].Contains(fragment, StringComparison.Ordinal));

        return messages;
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{site.ApiPort}/ws"), CancellationToken.None);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string text) => WebSocketText.SendAsync(socket, text);

    private static Task<string> ReceiveAsync(ClientWebSocket socket, TimeSpan timeout) => WebSocketText.ReceiveAsync(socket, timeout);
}

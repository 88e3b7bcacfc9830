using System.Net.WebSockets;
using System.Text.Json;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Api;

/// <summary>
/// <c>apis.json_names: evok3</c>: receivers written for Evok 3 get its names and keys (ro/do/di, no glob_dev_id) on
/// REST, the WebSocket and webhooks, while paths and masks keep accepting both vocabularies.
/// </summary>
public sealed class Evok3NamingTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Rest_websocket_and_webhooks_speak_Evok_3_and_accept_both_vocabularies()
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        await using var receiver = await WebhookReceiver.StartAsync();
        var apiPort = FreeTcpPort.Next();
        var configuration = SiteConfigurationLoader.Parse("evok3.yaml", $$"""
            apis:
              port: {{apiPort}}
              json_names: evok3
              webhook:
                enabled: true
                address: {{receiver.Address}}
                device_mask: [input, ro]
                complex_events: true
            {{SimulatedSite.NeuronConfigYaml(neuron, scanFrequency: 20)}}
            """, new HardwareDefinitionCatalog());
        await using var silo = await TestSilo.StartAsync(configuration);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/") };
        await Eventually(async () => (await http.GetAsync("rest/relay/2_04")).IsSuccessStatusCode);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{apiPort}/ws"), CancellationToken.None);

        neuron[2].SetDigitalInput(3, true);

        var webhook = await receiver.NextAsync(Soon);
        while (!webhook.Body.Contains("\"circuit\": \"2_03\", \"value\": 1", StringComparison.Ordinal))
        {
            webhook = await receiver.NextAsync(Soon);
        }

        // The change may share its request with the boards' first full state (the outbox joins what waits): find it.
        using var devices = JsonDocument.Parse(webhook.Body);
        var changed = devices.RootElement.EnumerateArray().Single(device => device.GetProperty("circuit").GetString() == "2_03").GetRawText();
        Assert.StartsWith("""{"dev": "di", "circuit": "2_03", "value": 1, "debounce": """, changed, StringComparison.Ordinal);
        Assert.DoesNotContain("glob_dev_id", webhook.Body, StringComparison.Ordinal);
        Assert.Equal(
            """{"dev": "ro", "circuit": "2_04", "value": 0, "pending": false, "mode": "Simple", "modes": ["Simple"]}""",
            await http.GetStringAsync("rest/relay/2_04"));
        Assert.Equal(await http.GetStringAsync("rest/ro/2_04"), await http.GetStringAsync("rest/relay/2_04"));
        Assert.Contains("\"scan_interval\": 0.05", await http.GetStringAsync("rest/modbus_slave/2"), StringComparison.Ordinal);
        // The board's first full state may still be on its way when the socket connects: wait for the change itself.
        var pushed = await ReceiveAsync(socket);
        while (!pushed.Contains("\"circuit\": \"2_03\", \"value\": 1", StringComparison.Ordinal))
        {
            pushed = await ReceiveAsync(socket);
        }

        Assert.Contains("""{"dev": "di", "circuit": "2_03", "value": 1""", pushed, StringComparison.Ordinal);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await silo.StopAsync();
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Soon;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the silo did not serve the circuit in time");
            await Task.Delay(100);
        }
    }

    private static Task<string> ReceiveAsync(ClientWebSocket socket) => WebSocketText.ReceiveAsync(socket, Soon);
}

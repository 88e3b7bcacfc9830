using System.Text.Json;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Mqtt;

/// <summary>Home Assistant discovery on a real broker: announced, re-announced when Home Assistant starts, removed for circuits that are gone.</summary>
[Trait("Category", TestCategory.Peers)]
public sealed class HomeAssistantDiscoveryTests
{
    [Fact]
    public async Task Every_board_circuit_is_announced_and_a_gone_circuits_config_is_removed()
    {
        await using var site = await MqttSite.CreateAsync();
        await site.StartSiloAsync();
        var node = site.Topics.DiscoveryNodeId;
        await site.StopSiloAsync();

        // What an earlier configuration announced: a board this config no longer has.
        var gone = $"homeassistant/switch/{node}/relay_9_01/config";
        await site.Broker.PublishAsync(gone, """{"name": "old relay", "command_topic": "evok/test/relay/9_01/set"}""", retain: true);
        await using var watcher = await MqttSubscriber.StartAsync(site.Broker, "homeassistant/#");
        await site.StartSiloAsync();

        await watcher.WaitForAsync(message => message.Topic == gone && message.Payload.Length == 0, what: "the gone relay's config cleared");
        var relay = await watcher.WaitForAsync(message => message.Topic == $"homeassistant/switch/{node}/relay_2_01/config", what: "relay 2_01 announced");
        await watcher.WaitForAsync(message => message.Topic == $"homeassistant/binary_sensor/{node}/input_1_04/config", what: "DI 1_04 announced");
        await watcher.WaitForAsync(message => message.Topic == $"homeassistant/sensor/{node}/ai_2_01/config", what: "AI 2_01 announced");
        await watcher.WaitForAsync(message => message.Topic == $"homeassistant/number/{node}/ao_2_01/config", what: "AO 2_01 announced");
        await watcher.WaitForAsync(message => message.Topic == $"homeassistant/binary_sensor/{node}/modbus_slave_2/config", what: "board 2's connection announced");
        using (var json = JsonDocument.Parse(relay.Payload))
        {
            Assert.Equal("evok/test/relay/2_01/set", json.RootElement.GetProperty("command_topic").GetString());
        }

        // Home Assistant restarted: it says online, and gets every config again.
        var before = watcher.Received.Count(message => message.Topic == relay.Topic);
        await site.Broker.PublishAsync("homeassistant/status", "online");
        await watcher.WaitForAsync(_ => watcher.Received.Count(message => message.Topic == relay.Topic) > before, what: "relay 2_01 announced again");
    }
}

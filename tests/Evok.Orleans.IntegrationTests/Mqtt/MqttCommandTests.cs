using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Mqtt;

/// <summary><c>set</c> topics, published by mosquitto_pub to a broker with a password file: the REST API's validation, answers on <c>.../error</c>.</summary>
[Trait("Category", TestCategory.Peers)]
public sealed class MqttCommandTests
{
    private const string Base = MqttSite.Base;

    [Fact]
    public async Task A_set_switches_the_coil_and_a_bad_payload_writes_nothing_and_is_answered_on_the_error_topic()
    {
        await using var site = await MqttSite.CreateAsync("evok", "s3cret");
        await using var watcher = await MqttSubscriber.StartAsync(site.Broker, $"{Base}/#");
        await site.StartSiloAsync();
        await watcher.WaitForAsync(message => message.Topic == $"{Base}/relay/2_02", what: "relay 2_02 initial state");

        await site.Broker.PublishAsync($"{Base}/relay/2_02/set", "1");
        await site.WaitForCoilAsync(1, on: true);
        await site.Broker.PublishAsync($"{Base}/relay/2_02/set", """{"value": 0}""");
        await site.WaitForCoilAsync(1, on: false);
        await site.Broker.PublishAsync($"{Base}/relay/2_02/set", "ON");
        await site.WaitForCoilAsync(1, on: true);

        await site.Broker.PublishAsync($"{Base}/relay/2_03/set", "7");
        var refused = await watcher.WaitForAsync(message => message.Topic == $"{Base}/relay/2_03/error", what: "error for value 7");
        Assert.Equal("""{"success": false, "errors": {"value": "value must be 0 or 1, got '7'"}}""", refused.Payload);
        await site.Broker.PublishAsync($"{Base}/relay/2_03/set", """{"value": [1]}""");
        await watcher.WaitForAsync(message => message.Topic == $"{Base}/relay/2_03/error" && message.Payload.Contains("must be a number, a string or a boolean", StringComparison.Ordinal), what: "error for an array");
        await site.Broker.PublishAsync($"{Base}/relay/9_99/set", "1");
        await watcher.WaitForAsync(message => message.Topic == $"{Base}/relay/9_99/error" && message.Payload.Contains("DeviceNotFound", StringComparison.Ordinal), what: "error for an unknown circuit");

        Assert.False(site.Simulator[2].GetCoil(2));
        Assert.DoesNotContain(watcher.Received, message => message.Topic == $"{Base}/relay/2_03" && MqttStateTests.Value(message) == 1);
    }

    [Fact]
    public async Task A_retained_set_is_never_obeyed_and_a_duplicate_set_changes_the_coil_once()
    {
        await using var site = await MqttSite.CreateAsync();

        // Left on the broker before the silo starts (as a Home Assistant misconfigured with retain: true would).
        await site.Broker.PublishAsync($"{Base}/relay/2_04/set", "1", retain: true);
        await using var watcher = await MqttSubscriber.StartAsync(site.Broker, $"{Base}/relay/#");
        await site.StartSiloAsync();
        await watcher.WaitForAsync(message => message.Topic == $"{Base}/relay/2_04" && MqttStateTests.Value(message) == 0, what: "relay 2_04 initial state");
        await site.Broker.PublishAsync($"{Base}/relay/2_05/set", "1", retain: true);

        // A later plain set is obeyed: the retained ones above were received before it and ignored.
        await site.Broker.PublishAsync($"{Base}/relay/2_01/set", "1");
        await site.WaitForCoilAsync(0, on: true);
        Assert.False(site.Simulator[2].GetCoil(3));
        Assert.False(site.Simulator[2].GetCoil(4));

        // The same command twice (what a QoS 1 redelivery is): one change.
        await site.Broker.PublishAsync($"{Base}/relay/2_04/set", "1");
        await site.Broker.PublishAsync($"{Base}/relay/2_04/set", "1");
        await site.WaitForCoilAsync(3, on: true);
        await site.Broker.PublishAsync($"{Base}/relay/2_01/set", "0");
        await site.WaitForCoilAsync(0, on: false);
        await watcher.WaitForAsync(message => message.Topic == $"{Base}/relay/2_01" && MqttStateTests.Value(message) == 0 && watcher.Received.Count(m => m.Topic == $"{Base}/relay/2_01") >= 3, what: "relay 2_01 off again");
        Assert.Single(watcher.Received, message => message.Topic == $"{Base}/relay/2_04" && MqttStateTests.Value(message) == 1);
    }
}

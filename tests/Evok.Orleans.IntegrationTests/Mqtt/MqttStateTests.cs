using System.Text.Json;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Mqtt;

/// <summary>States on the broker: a change on the board reaches mosquitto_sub, retained, in Evok's JSON; nothing is lost while the broker is away.</summary>
[Trait("Category", TestCategory.Peers)]
public sealed class MqttStateTests
{
    private const string Base = MqttSite.Base;

    [Fact]
    public async Task A_relay_flip_on_the_board_arrives_retained_on_its_topic_with_the_silo_and_board_online()
    {
        await using var site = await MqttSite.CreateAsync();
        await using var watcher = await MqttSubscriber.StartAsync(site.Broker, $"{Base}/#");
        await site.StartSiloAsync();
        await watcher.WaitForAsync(message => message.Topic == $"{Base}/status" && message.Payload == "online", what: "status online");
        await watcher.WaitForAsync(message => message.Topic == $"{Base}/relay/2_01" && Value(message) == 0, what: "relay 2_01 initial state");

        site.Simulator[2].SetCoil(0, true);

        var flipped = await watcher.WaitForAsync(message => message.Topic == $"{Base}/relay/2_01" && Value(message) == 1, what: "relay 2_01 on");
        using var json = JsonDocument.Parse(flipped.Payload);
        Assert.Equal(("relay", "2_01"), (json.RootElement.GetProperty("dev").GetString(), json.RootElement.GetProperty("circuit").GetString()));
        await watcher.WaitForAsync(message => message.Topic == $"{Base}/modbus_slave/2/availability" && message.Payload == "online", what: "board 2 online");

        // A client that comes later gets the newest state at once, from the broker (retained).
        await using var late = await MqttSubscriber.StartAsync(site.Broker, $"{Base}/relay/2_01");
        var retained = await late.WaitForAsync(message => message.Topic == $"{Base}/relay/2_01", what: "retained relay state");
        Assert.True(retained.Retained);
        Assert.Equal(1, Value(retained));
    }

    [Fact]
    public async Task Changes_made_while_the_broker_is_away_for_10_s_are_all_on_it_afterwards()
    {
        await using var site = await MqttSite.CreateAsync();
        await site.StartSiloAsync();
        await using (var before = await MqttSubscriber.StartAsync(site.Broker, $"{Base}/#"))
        {
            await before.WaitForAsync(message => message.Topic == $"{Base}/input/2_04" && Value(message) == 0, what: "DI 2_04 initial state");
        }

        await site.Broker.KillAsync();
        var away = DateTime.UtcNow;
        site.Simulator[2].SetCoil(0, true);
        site.Simulator[2].SetCoil(1, true);
        site.Simulator[2].SetDigitalInput(4, true);
        await Task.Delay(3000);
        site.Simulator[2].SetCoil(1, false);
        site.Simulator[2].SetDigitalInput(1, true);
        await Task.Delay(TimeSpan.FromSeconds(10) - (DateTime.UtcNow - away));
        await site.Broker.StartAsync();

        // The restarted broker kept nothing (no persistence): everything it shows now was published again by the silo.
        await using var after = await MqttSubscriber.StartAsync(site.Broker, $"{Base}/#");
        await after.WaitForAsync(message => message.Topic == $"{Base}/status" && message.Payload == "online", TimeSpan.FromSeconds(30), "status online again");
        await after.WaitForAsync(message => message.Topic == $"{Base}/relay/2_01" && Value(message) == 1, what: "relay 2_01 on");
        await after.WaitForAsync(message => message.Topic == $"{Base}/relay/2_02" && Value(message) == 0, what: "relay 2_02 back off");
        await after.WaitForAsync(message => message.Topic == $"{Base}/input/2_04" && Value(message) == 1, what: "DI 2_04 on");
        await after.WaitForAsync(message => message.Topic == $"{Base}/input/2_01" && Value(message) == 1, what: "DI 2_01 on");
        Assert.DoesNotContain(after.Received, message => message.Topic == $"{Base}/relay/2_02" && Value(message) == 1);
    }

    [Fact]
    public async Task A_silo_started_while_the_broker_is_down_runs_and_publishes_everything_once_it_answers()
    {
        await using var site = await MqttSite.CreateAsync();
        await site.Broker.KillAsync();
        await site.StartSiloAsync();
        site.Simulator[2].SetCoil(2, true);
        await Task.Delay(3000);
        await site.Broker.StartAsync();

        await using var watcher = await MqttSubscriber.StartAsync(site.Broker, $"{Base}/#");
        await watcher.WaitForAsync(message => message.Topic == $"{Base}/status" && message.Payload == "online", TimeSpan.FromSeconds(30), "status online");
        await watcher.WaitForAsync(message => message.Topic == $"{Base}/relay/2_03" && Value(message) == 1, what: "relay 2_03 on");
        await watcher.WaitForAsync(message => message.Topic == $"{Base}/input/1_01", what: "DI 1_01 of the other board");
    }

    internal static int? Value(MqttReceived message)
    {
        try
        {
            using var json = JsonDocument.Parse(message.Payload);
            return json.RootElement.TryGetProperty("value", out var value) && value.TryGetInt32(out var number) ? number : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

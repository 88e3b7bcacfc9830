using System.Collections.Frozen;
using System.Text.Json;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Mqtt;
using Evok.Orleans.Mqtt.Discovery;
using Evok.Orleans.UnitTests.Hardware;

namespace Evok.Orleans.UnitTests.Mqtt;

public sealed class HomeAssistantDiscoveryTests
{
    /// <summary>
    /// The keys Home Assistant's MQTT integration requires of each component we announce
    /// (https://www.home-assistant.io/integrations/switch.mqtt/, light.mqtt, number.mqtt, binary_sensor.mqtt,
    /// sensor.mqtt: "required" in their configuration variables), plus what discovery needs for the device registry.
    /// </summary>
    private static readonly FrozenDictionary<string, string[]> RequiredKeys = new Dictionary<string, string[]>
    {
        ["switch"] = ["command_topic"],
        ["light"] = ["command_topic"],
        ["number"] = ["command_topic"],
        ["binary_sensor"] = ["state_topic"],
        ["sensor"] = ["state_topic"],
    }.ToFrozenDictionary();

    private readonly SeedBoards _boards = new();

    private HomeAssistantDiscovery Discovery(params string[] lights)
    {
        var site = _boards.Site.Configuration with { Cluster = new ClusterConfiguration("hall", "plc1", new MembershipConfiguration(MembershipKind.Redis, "x")) };
        return new HomeAssistantDiscovery(new MqttBridgeOptions(site, new MqttConfiguration("127.0.0.1", 1883) { Lights = [.. lights] }));
    }

    private IEnumerable<DeviceState> EveryKind() =>
    [
        _boards.Decode("relay:2_01"),
        _boards.Decode("relay:1_01"),
        _boards.Decode("led:1_01"),
        _boards.Decode("input:2_01"),
        _boards.Decode("ai:2_01"),
        _boards.Decode("ao:1_01"),
        _boards.Decode("ao:2_01"),
        _boards.Decode("wd:1_01"),
        new ModbusSlaveState { Circuit = "2", GlobalDeviceId = 3, LastCommunication = 0.1, SlaveId = 2, Online = true },
        new ThermometerState { Circuit = "28FF1122334455", GlobalDeviceId = 0, Address = "28.FF1122334455", SensorType = "DS18B20", Interval = 15 },
        new MultiSensorState { Circuit = "26AA1122334455", GlobalDeviceId = 0, Address = "26.AA1122334455", SensorType = "DS2438", Interval = 15 },
    ];

    [Fact]
    public void Every_device_type_gets_configs_with_the_keys_home_assistant_requires()
    {
        var discovery = Discovery();
        var components = new List<string>();
        foreach (var state in EveryKind())
        {
            var configs = discovery.Configs(state);
            Assert.NotEmpty(configs);
            foreach (var config in configs)
            {
                components.Add(config.Component);
                using var json = JsonDocument.Parse(config.Payload);
                var root = json.RootElement;
                foreach (var key in RequiredKeys[config.Component].Concat(["unique_id", "name", "availability", "device"]))
                {
                    Assert.True(root.TryGetProperty(key, out _), $"{config.Topic} lacks {key}: {config.Payload}");
                }

                Assert.StartsWith($"homeassistant/{config.Component}/evok_plc1/", config.Topic, StringComparison.Ordinal);
                Assert.StartsWith("evok_plc1_", root.GetProperty("unique_id").GetString(), StringComparison.Ordinal);
                Assert.NotEqual(0, root.GetProperty("device").GetProperty("identifiers").GetArrayLength());
                Assert.Equal("evok/plc1/status", root.GetProperty("availability")[0].GetProperty("topic").GetString());
                Assert.StartsWith("evok/plc1/", root.GetProperty("state_topic").GetString(), StringComparison.Ordinal);
                if (root.TryGetProperty("command_topic", out var command))
                {
                    Assert.Equal(root.GetProperty("state_topic").GetString() + "/set", command.GetString());
                }
            }
        }

        Assert.Equal(["binary_sensor", "light", "number", "sensor", "switch"], components.Distinct().Order());
    }

    [Fact]
    public void A_relay_is_a_switch_on_its_board_device_unless_the_config_names_it_a_light()
    {
        var relay = _boards.Decode("relay:2_01") with { Alias = "al_hall" };

        var asSwitch = Assert.Single(Discovery().Configs(relay));
        var asLight = Assert.Single(Discovery("al_hall").Configs(relay));

        Assert.Equal("homeassistant/switch/evok_plc1/relay_2_01/config", asSwitch.Topic);
        Assert.Equal("light", asLight.Component);
        using var json = JsonDocument.Parse(asSwitch.Payload);
        var root = json.RootElement;
        Assert.Equal(("al_hall", "evok_plc1_relay_2_01"), (root.GetProperty("name").GetString(), root.GetProperty("unique_id").GetString()));
        Assert.Equal(("1", "0", "{{ value_json.value }}"), (root.GetProperty("payload_on").GetString(), root.GetProperty("payload_off").GetString(), root.GetProperty("value_template").GetString()));
        Assert.Equal("evok/plc1/modbus_slave/2/availability", root.GetProperty("availability")[1].GetProperty("topic").GetString());
        Assert.Equal("all", root.GetProperty("availability_mode").GetString());
        var device = root.GetProperty("device");
        Assert.Equal(("evok_plc1_board_2", "Unipi", "13", "plc1 board 2"), (device.GetProperty("identifiers")[0].GetString(), device.GetProperty("manufacturer").GetString(), device.GetProperty("model").GetString(), device.GetProperty("name").GetString()));
    }

    [Fact]
    public void A_circuit_is_announced_again_only_when_its_name_or_unit_changes()
    {
        var discovery = Discovery();
        var relay = (RelayState)_boards.Decode("relay:2_01");

        Assert.NotEmpty(discovery.Changed(relay));
        Assert.Empty(discovery.Changed(relay with { Value = 1 }));
        Assert.NotEmpty(discovery.Changed(relay with { Alias = "al_pump" }));
        Assert.Empty(discovery.Changed(_boards.Decode("register:1_1000")));
    }
}

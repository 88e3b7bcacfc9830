using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Mqtt.Discovery;

/// <summary>
/// Home Assistant MQTT discovery (https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery): one HA device per
/// board (and per 1-Wire sensor), one entity per circuit: relays and digital outputs as <c>switch</c> (or <c>light</c>
/// when <c>discovery.lights</c> names them), LEDs as <c>light</c>, DIs as <c>binary_sensor</c>, AIs and 1-Wire
/// temperature/humidity as <c>sensor</c>, AOs as <c>number</c>, the watchdog and the board's connection as diagnostic
/// <c>binary_sensor</c>s. Entities read the circuit's JSON state topic with <c>value_json</c> templates and are
/// available while the silo and their board are. A unique id is made of node, type and circuit, so it survives a
/// rename; the alias is the name.
/// </summary>
public sealed class HomeAssistantDiscovery(MqttBridgeOptions options)
{
    private static readonly string Version =
        typeof(HomeAssistantDiscovery).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private readonly Lock _gate = new();
    private readonly Dictionary<(DeviceKind Kind, string Circuit), Announced> _announced = [];

    private MqttTopics Topics => options.Topics;

    /// <summary>
    /// The configs of <paramref name="state"/>'s entities when what they say (name, unit, range) differs from what was
    /// last announced for this circuit; none when it does not (a value change costs one dictionary look-up).
    /// </summary>
    public IReadOnlyList<DiscoveryConfig> Changed(DeviceState state)
    {
        if (Signature(state) is not { } signature)
        {
            return [];
        }

        lock (_gate)
        {
            if (_announced.TryGetValue((state.Kind, state.Circuit), out var announced) && announced == signature)
            {
                return [];
            }

            _announced[(state.Kind, state.Circuit)] = signature;
        }

        return Configs(state);
    }

    /// <summary>Every entity of a circuit; empty for kinds Home Assistant gets no entity for (registers, data points, ...).</summary>
    public IReadOnlyList<DiscoveryConfig> Configs(DeviceState state) => state switch
    {
        RelayState relay => [Entity(IsLight(relay) ? "light" : "switch", relay, relay.IsDigital ? "DO" : "Relay", Command(relay, light: IsLight(relay)))],
        LedState led => [Entity("light", led, "LED", Command(led, light: true))],
        DigitalInputState input => [Entity("binary_sensor", input, "DI", writer => OnOff(writer, "value_template"))],
        AnalogInputState ai => [Entity("sensor", ai, "AI", writer => Measurement(writer, ai.Unit, "{{ value_json.value }}"))],
        AnalogInput18State ai => [Entity("sensor", ai, "AI", writer => Measurement(writer, string.Empty, "{{ value_json.value }}"))],
        AnalogOutputState ao => [Entity("number", ao, "AO", writer => Number(writer, ao))],
        WatchdogState watchdog => [Entity("binary_sensor", watchdog, "Watchdog", writer =>
        {
            OnOff(writer, "value_template");
            writer.WriteString("entity_category", "diagnostic");
        })],
        ModbusSlaveState slave => [Entity("binary_sensor", slave, "Connection", writer =>
        {
            writer.WriteString("value_template", "{{ 'ON' if value_json.online else 'OFF' }}");
            writer.WriteString("device_class", "connectivity");
            writer.WriteString("entity_category", "diagnostic");
        })],
        ThermometerState thermometer => [Entity("sensor", thermometer, "Temperature", writer => Measurement(writer, "°C", "{{ value_json.value }}"))],
        MultiSensorState multi =>
        [
            Entity("sensor", multi, "Temperature", writer => Measurement(writer, "°C", "{{ value_json.temp }}"), "temperature"),
            Entity("sensor", multi, "Humidity", writer => Measurement(writer, "%", "{{ value_json.humidity }}"), "humidity"),
        ],
        _ => [],
    };

    /// <summary>What a circuit's configs depend on besides its topics (compared, not allocated, on every change).</summary>
    private static Announced? Signature(DeviceState state) => state switch
    {
        RelayState or LedState or DigitalInputState or WatchdogState or ModbusSlaveState or ThermometerState or MultiSensorState or AnalogInput18State => new Announced(state.Alias, null, null),
        AnalogInputState ai => new Announced(ai.Alias, ai.Unit, ai.Range),
        AnalogOutputState ao => new Announced(ao.Alias, ao.Unit, ao.Range),
        _ => null,
    };

    private readonly record struct Announced(string? Alias, string? Unit, ModeRange? Range);

    private bool IsLight(RelayState relay) =>
        options.Lights.Contains(relay.Circuit) || (relay.Alias is { } alias && options.Lights.Contains(alias));

    private DiscoveryConfig Entity(string component, DeviceState state, string label, Action<Utf8JsonWriter> specific, string? part = null)
    {
        var type = DeviceTypeNames.KeyPrefix(state.Kind);
        var objectId = part is null ? $"{type}_{state.Circuit}" : $"{type}_{state.Circuit}_{part}";
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var name = state.Alias ?? $"{label} {state.Circuit}";
            writer.WriteString("name", part is null || state.Alias is null ? name : $"{name} {label.ToLowerInvariant()}");
            writer.WriteString("unique_id", $"{Topics.DiscoveryNodeId}_{MqttTopics.Safe(objectId)}");
            writer.WriteString("state_topic", Topics.State(state.Kind, state.Circuit));
            specific(writer);
            writer.WriteNumber("qos", options.Broker.QualityOfService);
            writer.WriteStartArray("availability");
            Availability(writer, Topics.Status);
            if (state.Kind != DeviceKind.ModbusSlave && options.Boards.TryGetValue(state.GlobalDeviceId, out var board))
            {
                Availability(writer, Topics.BoardAvailability(board.Name));
            }

            writer.WriteEndArray();
            writer.WriteString("availability_mode", "all");
            Device(writer, state);
            writer.WriteStartObject("origin");
            writer.WriteString("name", "Evok.Orleans");
            writer.WriteString("sw_version", Version);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return new DiscoveryConfig(component, Topics.Discovery(component, objectId), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void Availability(Utf8JsonWriter writer, string topic)
    {
        writer.WriteStartObject();
        writer.WriteString("topic", topic);
        writer.WriteEndObject();
    }

    private void Device(Utf8JsonWriter writer, DeviceState state)
    {
        writer.WriteStartObject("device");
        writer.WriteStartArray("identifiers");
        if (state is OneWireSensorState sensor)
        {
            writer.WriteStringValue($"{Topics.DiscoveryNodeId}_1w_{MqttTopics.Safe(sensor.Circuit)}");
            writer.WriteEndArray();
            writer.WriteString("manufacturer", "Maxim Integrated (1-Wire)");
            writer.WriteString("model", sensor.SensorType);
            writer.WriteString("name", $"{options.Node} 1-Wire {sensor.Circuit}");
        }
        else if (options.Boards.TryGetValue(state.GlobalDeviceId, out var board))
        {
            writer.WriteStringValue($"{Topics.DiscoveryNodeId}_board_{MqttTopics.Safe(board.Name)}");
            writer.WriteEndArray();
            writer.WriteString("manufacturer", "Unipi");
            writer.WriteString("model", board.Model);
            writer.WriteString("serial_number", board.Name);
            writer.WriteString("name", $"{options.Node} board {board.Name}");
        }
        else
        {
            writer.WriteStringValue(Topics.DiscoveryNodeId);
            writer.WriteEndArray();
            writer.WriteString("manufacturer", "Unipi");
            writer.WriteString("name", options.Node);
        }

        writer.WriteEndObject();
    }

    /// <summary>A switch or light: <c>1</c>/<c>0</c> on the set topic, the state read from the JSON's <c>value</c>.</summary>
    private Action<Utf8JsonWriter> Command(DeviceState state, bool light) => writer =>
    {
        writer.WriteString("command_topic", Topics.Set(state.Kind, state.Circuit));
        OnOff(writer, light ? "state_value_template" : "value_template");
    };

    private static void OnOff(Utf8JsonWriter writer, string templateKey)
    {
        writer.WriteString(templateKey, "{{ value_json.value }}");
        writer.WriteString("payload_on", "1");
        writer.WriteString("payload_off", "0");
    }

    private static void Measurement(Utf8JsonWriter writer, string unit, string template)
    {
        writer.WriteString("value_template", template);
        writer.WriteString("state_class", "measurement");
        var (haUnit, deviceClass) = unit switch
        {
            "V" => ("V", "voltage"),
            "mA" => ("mA", "current"),
            "A" => ("A", "current"),
            "°C" => ("°C", "temperature"),
            "%" => ("%", "humidity"),
            "Ohm" or "Ω" => ("Ω", null),
            "" => (null, null),
            var other => (other, (string?)null),
        };
        if (haUnit is not null)
        {
            writer.WriteString("unit_of_measurement", haUnit);
        }

        if (deviceClass is not null)
        {
            writer.WriteString("device_class", deviceClass);
        }
    }

    private void Number(Utf8JsonWriter writer, AnalogOutputState ao)
    {
        writer.WriteString("command_topic", Topics.Set(ao.Kind, ao.Circuit));
        writer.WriteString("value_template", "{{ value_json.value }}");
        var range = ao.Range ?? new ModeRange(0, 10);
        writer.WriteNumber("min", range.Min);
        writer.WriteNumber("max", range.Max);
        writer.WriteNumber("step", Math.Max((range.Max - range.Min) / 1000, 0.001));
        writer.WriteString("mode", "box");
        if (ao.Unit.Length > 0)
        {
            writer.WriteString("unit_of_measurement", ao.Unit == "Ohm" ? "Ω" : ao.Unit);
        }
    }
}

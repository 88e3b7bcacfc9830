using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Writes;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Reads <c>apis.mqtt</c>; every wrong value stops the load naming file, line and key.</summary>
internal static class MqttSection
{
    public static MqttConfiguration? Parse(YamlSection? mqtt, string? directory)
    {
        if (mqtt is null)
        {
            return null;
        }

        if (!mqtt.Boolean("enabled", false))
        {
            mqtt.Skip();
            return null;
        }

        var tls = mqtt.OptionalSection("tls") is { } tlsSection ? Tls(tlsSection, directory) : null;
        var username = mqtt.OptionalString("username");
        var password = mqtt.OptionalString("password");
        if (password is not null && username is null)
        {
            throw mqtt.Error("password", "a password needs a username");
        }

        var mask = DeviceMask.Everything;
        if (mqtt.StringList("device_mask") is { } names && !DeviceMask.TryParse(names, out mask, out var unknown))
        {
            throw mqtt.Error("device_mask", $"unknown device type '{WriteValue.Quote(unknown!)}' (known: {string.Join(", ", DeviceTypeNames.KnownNames)})");
        }

        var clientId = mqtt.OptionalString("client_id");
        if (clientId is { Length: 0 or > 128 })
        {
            throw mqtt.Error("client_id", "expected 1 to 128 characters");
        }

        var qos = mqtt.Integer("qos", 1, 0, 2);
        var changes = mqtt.Boolean("changes", false);
        if (changes && qos == 0)
        {
            // The journal's place is kept by the broker's acknowledgements; QoS 0 has none.
            throw mqtt.Error("changes", "the changes topic needs qos 1 or 2 (the broker's acknowledgements keep its place in the journal)");
        }

        var discovery = mqtt.OptionalSection("discovery");
        return new MqttConfiguration(
            mqtt.OptionalString("host") ?? "127.0.0.1",
            mqtt.Integer("port", tls is null ? MqttConfiguration.DefaultPort : MqttConfiguration.DefaultTlsPort, 1, 65535))
        {
            Tls = tls,
            Username = username,
            Password = password,
            ClientId = clientId,
            BaseTopic = mqtt.Has("base_topic") ? Topic(mqtt, "base_topic") : null,
            QualityOfService = qos,
            Changes = changes,
            DeviceMask = mask,
            Discovery = discovery?.Boolean("enabled", true) ?? true,
            DiscoveryPrefix = discovery?.Has("prefix") == true ? Topic(discovery, "prefix") : "homeassistant",
            Lights = [.. discovery?.StringList("lights") ?? []],
        };
    }

    /// <summary>A topic the silo publishes under: no wildcards, no empty levels, no leading or trailing '/'.</summary>
    private static string Topic(YamlSection section, string key)
    {
        var topic = section.RequiredString(key);
        if (topic.IndexOfAny(['+', '#', '\0']) >= 0 || topic.StartsWith('/') || topic.EndsWith('/') || topic.Contains("//", StringComparison.Ordinal))
        {
            throw section.Error(key, $"expected a topic like evok/plc1 (no '+', '#', empty levels or leading/trailing '/'), got '{WriteValue.Quote(topic)}'");
        }

        return topic;
    }

    private static MqttTlsConfiguration Tls(YamlSection tls, string? directory)
    {
        var (ca, certificate, key) = TlsFilesSection.Parse(tls, directory);
        return new MqttTlsConfiguration(ca, certificate, key);
    }
}

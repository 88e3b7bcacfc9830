using System.Collections.Frozen;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Mqtt.Discovery;

namespace Evok.Orleans.Mqtt;

/// <summary><c>apis.mqtt</c> resolved for this controller: its node name, topics and boards.</summary>
public sealed class MqttBridgeOptions
{
    public MqttBridgeOptions(SiteConfiguration site, MqttConfiguration mqtt)
    {
        Broker = mqtt;
        Node = site.Node.Length > 0 ? site.Node : System.Net.Dns.GetHostName().Split('.')[0];
        Topics = new MqttTopics(mqtt.BaseTopic ?? $"evok/{MqttTopics.Safe(Node)}", Node, mqtt.DiscoveryPrefix);
        Boards = site.Devices.ToFrozenDictionary(device => device.GlobalDeviceId, device => new BoardIdentity(device.Name, device.Board.Model));
        Lights = mqtt.Lights.ToFrozenSet(StringComparer.Ordinal);
    }

    public MqttConfiguration Broker { get; }

    /// <summary>This controller's node name (the host name's first label on a controller of its own).</summary>
    public string Node { get; }

    public MqttTopics Topics { get; }

    /// <summary>The Modbus devices of config.yaml by their Evok <c>glob_dev_id</c>: one Home Assistant device each.</summary>
    public FrozenDictionary<int, BoardIdentity> Boards { get; }

    /// <summary>Circuits or aliases of relays and digital outputs announced as lights.</summary>
    public FrozenSet<string> Lights { get; }

    public string ClientId => Broker.ClientId ?? $"evok-orleans-{MqttTopics.Safe(Node)}";
}

using System.Text;
using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Mqtt;

/// <summary>
/// The topic scheme. A circuit's state is <c>&lt;base&gt;/&lt;type&gt;/&lt;circuit&gt;</c> with the type of its REST path
/// (<c>evok/plc1/relay/2_01</c> as <c>/rest/relay/2_01</c>), whatever <c>json_names</c> says, so topics stay put when
/// the JSON naming changes and a <c>set</c> resolves exactly as a REST write does.
/// </summary>
public sealed class MqttTopics(string baseTopic, string node, string discoveryPrefix)
{
    public string Base { get; } = baseTopic;

    /// <summary>Retained <c>online</c> while the silo is connected; the broker publishes <c>offline</c> (our will) when it is not.</summary>
    public string Status => $"{Base}/status";

    /// <summary>Where Home Assistant announces itself (<c>online</c> after its start): the moment to announce again.</summary>
    public string HomeAssistantStatus => $"{discoveryPrefix}/status";

    /// <summary>Every change, numbered, from the change journal (with <c>changes: true</c>; not retained).</summary>
    public string Changes => $"{Base}/changes";

    /// <summary>What a client publishes to, to set properties of any circuit.</summary>
    public string SetFilter => $"{Base}/+/+/set";

    /// <summary>Home Assistant's discovery node id for this controller: every config this silo announced lies under it.</summary>
    public string DiscoveryNodeId { get; } = $"evok_{Safe(node)}";

    /// <summary>Every discovery config this controller may have announced, from this run or an earlier one.</summary>
    public string DiscoveryFilter => $"{discoveryPrefix}/+/{DiscoveryNodeId}/+/config";

    public string State(DeviceKind kind, string circuit) => $"{Base}/{DeviceTypeNames.KeyPrefix(kind)}/{circuit}";

    public string Set(DeviceKind kind, string circuit) => $"{State(kind, circuit)}/set";

    public static string Error(string stateTopic) => $"{stateTopic}/error";

    /// <summary>A board's availability: <c>online</c> while its scans answer (its <c>modbus_slave</c> state says so).</summary>
    public string BoardAvailability(string board) => $"{State(DeviceKind.ModbusSlave, board)}/availability";

    public string Discovery(string component, string objectId) => $"{discoveryPrefix}/{component}/{DiscoveryNodeId}/{Safe(objectId)}/config";

    /// <summary>The type and circuit of a <c>set</c> topic, or null when the topic is not one of ours.</summary>
    public (string Type, string Circuit)? ParseSet(string topic)
    {
        if (!topic.StartsWith(Base + "/", StringComparison.Ordinal) || !topic.EndsWith("/set", StringComparison.Ordinal))
        {
            return null;
        }

        var levels = topic[(Base.Length + 1)..^"/set".Length].Split('/');
        return levels is [{ Length: > 0 } type, { Length: > 0 } circuit] ? (type, circuit) : null;
    }

    /// <summary>Home Assistant's ids and topic levels allow letters, digits, '_' and '-' only.</summary>
    public static string Safe(string text)
    {
        var safe = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            safe.Append(char.IsAsciiLetterOrDigit(character) || character is '_' or '-' ? character : '_');
        }

        return safe.ToString();
    }
}

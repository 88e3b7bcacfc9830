using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// <c>apis.mqtt</c> (ours; Evok has no MQTT): the broker every state is published to, retained, and whose <c>set</c>
/// topics switch outputs; with Home Assistant discovery.
/// </summary>
public sealed record MqttConfiguration(string Host, int Port)
{
    public const int DefaultPort = 1883;

    public const int DefaultTlsPort = 8883;

    public MqttTlsConfiguration? Tls { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Null: <c>evok-orleans-&lt;node&gt;</c>.</summary>
    public string? ClientId { get; init; }

    /// <summary>Null: <c>evok/&lt;node&gt;</c> (the host name's first label on a controller of its own).</summary>
    public string? BaseTopic { get; init; }

    /// <summary>QoS of what is published and subscribed (0, 1 or 2).</summary>
    public int QualityOfService { get; init; } = 1;

    /// <summary>The kinds whose states are published (and announced to Home Assistant); all of them by default.</summary>
    public DeviceMask DeviceMask { get; init; } = DeviceMask.Everything;

    /// <summary>
    /// Publishes every change, numbered, on <c>&lt;base&gt;/changes</c> from the change journal: at least once and in
    /// order across broker outages and silo restarts (the retained state topics keep only the newest per circuit).
    /// </summary>
    public bool Changes { get; init; }

    public bool Discovery { get; init; } = true;

    public string DiscoveryPrefix { get; init; } = "homeassistant";

    /// <summary>Relays and digital outputs (circuits or aliases) Home Assistant gets as a <c>light</c> instead of a <c>switch</c>.</summary>
    public ImmutableArray<string> Lights { get; init; } = [];
}

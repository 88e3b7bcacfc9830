namespace Evok.Orleans.Mqtt.Discovery;

/// <summary>One Home Assistant entity's discovery config: its component (<c>switch</c>, <c>sensor</c>, ...), topic and JSON.</summary>
public sealed record DiscoveryConfig(string Component, string Topic, string Payload);

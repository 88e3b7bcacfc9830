namespace Evok.Orleans.TestSupport;

/// <summary>One message mosquitto_sub received: topic, payload as text, and whether the broker sent it as retained.</summary>
public sealed record MqttReceived(string Topic, string Payload, bool Retained);

namespace Evok.Orleans.Mqtt.Publishing;

/// <summary>One retained topic's payload as taken for sending.</summary>
public sealed record RetainedMessage(string Topic, string Payload);

namespace Evok.Orleans.Mqtt.Publishing;

/// <summary>One retained topic's payload as taken for sending; <see cref="Version"/> tells whether it is still the newest.</summary>
public sealed record RetainedMessage(string Topic, string Payload, long Version);

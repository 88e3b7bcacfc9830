namespace Evok.Orleans.Mqtt.Commands;

/// <summary>What a <c>set</c> message came to: carried out, ignored (retained), or refused with Evok's error JSON for its error topic.</summary>
public sealed record MqttCommandOutcome(string? ErrorTopic, string? ErrorJson)
{
    public static MqttCommandOutcome Done { get; } = new(null, null);
}

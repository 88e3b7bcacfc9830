namespace Evok.Orleans.Abstractions.Grains;

/// <summary>What an operator wants to know about a webhook: how much waits, and how the last delivery went.</summary>
[GenerateSerializer, Alias("evok.WebhookOutboxStatus")]
public sealed record WebhookOutboxStatus(
    [property: Id(0)] string Webhook,
    [property: Id(1)] int Pending,
    [property: Id(2)] long Delivered,
    [property: Id(3)] long Failed,
    [property: Id(4)] long Dropped,
    [property: Id(5)] string? LastResult,
    [property: Id(6)] DateTimeOffset? LastDeliveryAt)
{
    /// <summary>Times the outbox found its stored copy lost (Redis emptied or restarted without persistence) and wrote what it holds again.</summary>
    [Id(7)]
    public long StateLost { get; init; }
}

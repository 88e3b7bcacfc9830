namespace Evok.Orleans.Grains.Webhooks;

/// <summary>The persisted part of an outbox: what waits, in order, and the counters an operator reads.</summary>
[GenerateSerializer, Alias("evok.WebhookOutboxState")]
public sealed class WebhookOutboxState
{
    [Id(0)]
    public List<PendingDelivery> Pending { get; set; } = [];

    [Id(1)]
    public long Delivered { get; set; }

    [Id(2)]
    public long Failed { get; set; }

    [Id(3)]
    public long Dropped { get; set; }

    [Id(4)]
    public string? LastResult { get; set; }

    [Id(5)]
    public DateTimeOffset? LastDeliveryAt { get; set; }

    /// <summary>Times the stored copy was found lost or changed behind the silo's back (a Redis FLUSHALL, a restart without persistence).</summary>
    [Id(6)]
    public long StateLost { get; set; }
}

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>What a webhook's outbox does when <c>max_outstanding_events</c> batches are waiting.</summary>
public enum WebhookOverflow
{
    /// <summary>Keep only the latest state of each circuit among the waiting batches (complex events).</summary>
    Coalesce,

    /// <summary>Drop the oldest waiting batch.</summary>
    DropOldest,
}

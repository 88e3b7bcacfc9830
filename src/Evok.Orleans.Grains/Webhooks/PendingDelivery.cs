namespace Evok.Orleans.Grains.Webhooks;

/// <summary>One request to send. <see cref="Id"/> is the <c>webhook-id</c>: the same on every retry and after a restart.</summary>
[GenerateSerializer, Alias("evok.PendingDelivery")]
public sealed record PendingDelivery(
    [property: Id(0)] string Id,
    [property: Id(1)] List<PendingChange> Changes,
    [property: Id(2)] DateTimeOffset ChangedAt)
{
    /// <summary>
    /// Set (and stored) before the first attempt: a receiver may have seen this id with this body since, so nothing
    /// is joined into it or coalesced out of it any more, not even after a restart.
    /// </summary>
    [Id(3)]
    public bool Sent { get; init; }
}

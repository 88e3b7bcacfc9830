namespace Evok.Orleans.Journal;

/// <summary>
/// How far one webhook's outbox has got through the journal: every change up to <see cref="Cursor"/> is delivered,
/// refused for good or coalesced away; <see cref="HeadId"/> and <see cref="HeadSeqs"/> name the request that was in
/// flight, so that after a restart it goes out again under the same <c>webhook-id</c> with the same body.
/// </summary>
public sealed record OutboxCursor(string Webhook, long Cursor, string? HeadId, IReadOnlyList<long> HeadSeqs)
{
    public long Delivered { get; init; }

    public long Failed { get; init; }

    public long Dropped { get; init; }
}

using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Events;
using Orleans.Concurrency;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// The outbox of one webhook (key = webhook name): batches wait here, in order, until the receiver accepts them.
/// With the default storage their place in the change journal survives a restart (with Redis, the batches themselves).
/// </summary>
public interface IWebhookOutboxGrain : IGrainWithStringKey
{
    /// <summary>
    /// Queues the changes of one journal batch that the webhook's device_mask keeps (nothing if none). Batches come
    /// in the journal's order; one the outbox has already taken from the journal itself (after a restart) is ignored.
    /// </summary>
    Task EnqueueAsync(ImmutableArray<JournalEntry> batch);

    /// <summary>Activates the outbox so it resumes delivering what it held before a restart.</summary>
    Task ResumeAsync();

    [AlwaysInterleave]
    Task<WebhookOutboxStatus> GetStatusAsync();
}

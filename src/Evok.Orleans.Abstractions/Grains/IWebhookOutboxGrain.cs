using Evok.Orleans.Abstractions.Events;
using Orleans.Concurrency;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// The outbox of one webhook (key = webhook name): batches wait here, in order, until the receiver accepts them.
/// With a persistent grain storage configured they survive a silo restart.
/// </summary>
public interface IWebhookOutboxGrain : IGrainWithStringKey
{
    /// <summary>Queues the circuits of a batch that the webhook's device_mask keeps (nothing if none).</summary>
    Task EnqueueAsync(DeviceChangeBatch batch);

    /// <summary>Activates the outbox so it resumes delivering what it held before a restart.</summary>
    Task ResumeAsync();

    [AlwaysInterleave]
    Task<WebhookOutboxStatus> GetStatusAsync();
}

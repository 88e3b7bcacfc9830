using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Diagnostics;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Grains.Placement;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Journal;
using Evok.Orleans.Webhooks;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Evok.Orleans.Grains.Webhooks;

/// <summary>
/// One webhook's outbox. Deliveries go out one at a time, in the order they were queued, so no circuit's states are
/// ever reordered; the head stays queued until the receiver accepts it (at least once, same <c>webhook-id</c> on
/// every attempt) or refuses it for good. Queuing never waits for the receiver, so polling never waits either.
/// With the default storage the batches themselves are never written: they are in the change journal already, and
/// the outbox keeps only its place in it (<see cref="OutboxCursor"/>, written with the journal's next group commit),
/// from which it rebuilds its queue after a restart.
/// </summary>
[NodePlacement]
[KeepAlive]
public sealed partial class WebhookOutboxGrain(
    [PersistentState("outbox", WebhookOutboxStorage.Name)] IPersistentState<WebhookOutboxState> outbox,
    SiteConfiguration site,
    ChangeJournal journal,
    WebhookSender sender,
    ILogger<WebhookOutboxGrain> logger)
    : Grain, IWebhookOutboxGrain
{
    /// <summary>
    /// The most device JSON one request carries when waiting deliveries are joined: well under the 100 KB that
    /// Express's JSON body parser (a common Node-RED and webhook receiver stack) accepts by default.
    /// </summary>
    private const int MaxJoinedBytes = 32 * 1024;

    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private WebhookConfiguration _webhook = null!;
    private KeyValuePair<string, object?> _tag;
    private Task _pump = Task.CompletedTask;
    private bool _pumping;

    /// <summary>The newest journal number this outbox has taken (queued, or left out by its device_mask).</summary>
    private long _seen;

    /// <summary>Whether this outbox keeps its place in the journal (the default storage, with the file open).</summary>
    private bool InJournal => !site.Storage.IsRedis && journal.IsDurable;

    private List<PendingDelivery> Pending => outbox.State.Pending;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Another node's outbox never runs here, not even while this controller stands in for its failover buses:
        // its webhooks and their waiting batches are that node's, delivered when it is back.
        var key = this.GetPrimaryKeyString();
        if (NodeKey.NodeOf(key) != site.Node)
        {
            throw NodeUnavailableException.Of(NodeKey.NodeOf(key));
        }

        var name = NodeKey.LocalOf(key);
        _webhook = site.Api.Webhooks.FirstOrDefault(webhook => webhook.Name == name)
            ?? throw new KeyNotFoundException($"no webhook '{name}' in this site");
        _tag = new("webhook", name);
        // With Redis or memory storage only the feed gives it batches, from the journal's newest change on, so
        // _seen starts at 0 (what Redis kept may carry numbers of a memory journal's earlier life).
        if (InJournal)
        {
            await RebuildAsync();
        }

        EvokMetrics.OutboxDepth.Add(Pending.Count, _tag);
        if (Pending.Count > 0)
        {
            LogResuming(name, Pending.Count);
            StartPump();
        }
    }

    /// <summary>
    /// The queue as it was, from the journal: the changes after the saved cursor that the device_mask keeps, the
    /// request that was in flight first under its id. A webhook new to this controller starts from now.
    /// </summary>
    private async Task RebuildAsync()
    {
        var until = journal.LastSeq;
        if (journal.CursorOf(_webhook.Name) is not { } cursor)
        {
            _seen = until;
            PersistCursor();
            return;
        }

        outbox.State.Delivered = cursor.Delivered;
        outbox.State.Failed = cursor.Failed;
        outbox.State.Dropped = cursor.Dropped;
        if (cursor.Cursor + 1 < journal.OldestSeq)
        {
            LogJournalGap(_webhook.Name, cursor.Cursor, journal.OldestSeq);
        }

        var head = cursor.HeadSeqs.ToHashSet();
        var headChanges = new List<PendingChange>();
        var headTime = DateTimeOffset.UtcNow;
        _seen = cursor.Cursor;
        while (_seen < until)
        {
            var entries = await journal.ReadAfterAsync(_seen, 1024);
            if (entries.Count == 0)
            {
                break;
            }

            foreach (var batch in JournalBatches.Split(entries))
            {
                var kept = new List<PendingChange>();
                foreach (var entry in batch.Where(entry => entry.Seq <= until))
                {
                    if (head.Contains(entry.Seq))
                    {
                        headTime = headChanges.Count == 0 ? entry.Time : headTime;
                        headChanges.Add(ToPending(entry));
                    }
                    else if (_webhook.DeviceMask.Contains(entry.Kind))
                    {
                        kept.Add(ToPending(entry));
                    }
                }

                _seen = Math.Min(batch[^1].Seq, until);
                if (kept.Count > 0)
                {
                    outbox.State.Dropped += OutboxQueue.Add(Pending, new PendingDelivery(Guid.NewGuid().ToString("N"), kept, batch[0].Time), _webhook);
                }
            }
        }

        if (headChanges.Count > 0 && cursor.HeadId is { } id)
        {
            Pending.Insert(0, new PendingDelivery(id, headChanges, headTime) { Sent = true });
        }
    }

    private static PendingChange ToPending(JournalEntry entry) => new(entry.Key, entry.CircuitSequence, entry.Json) { Seq = entry.Seq };

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);

        EvokMetrics.OutboxDepth.Add(-Pending.Count, _tag);
    }

    public async Task EnqueueAsync(ImmutableArray<JournalEntry> batch)
    {
        var seen = _seen;
        if (batch.IsDefaultOrEmpty || batch[^1].Seq <= seen)
        {
            return;
        }

        _seen = batch[^1].Seq;
        var kept = batch.Where(entry => entry.Seq > seen && _webhook.DeviceMask.Contains(entry.Kind)).Select(ToPending).ToList();
        if (kept.Count == 0)
        {
            await PersistAsync();
            return;
        }

        var before = Pending.Count;
        var dropped = OutboxQueue.Add(Pending, new PendingDelivery(Guid.NewGuid().ToString("N"), kept, batch[0].Time), _webhook);
        EvokMetrics.OutboxDepth.Add(Pending.Count - before, _tag);
        if (dropped > 0)
        {
            outbox.State.Dropped += dropped;
            EvokMetrics.WebhookDropped.Add(dropped, _tag);
        }

        await PersistAsync();
        StartPump();
    }

    public Task ResumeAsync() => Task.CompletedTask;

    public Task<WebhookOutboxStatus> GetStatusAsync() => Task.FromResult(new WebhookOutboxStatus(
        _webhook.Name, Pending.Count, outbox.State.Delivered, outbox.State.Failed, outbox.State.Dropped,
        outbox.State.LastResult, outbox.State.LastDeliveryAt)
    { StateLost = outbox.State.StateLost });

    private void StartPump()
    {
        // A flag, not the task: a send that completes at once (Orleans may run it inline) ends the pump before
        // PumpAsync has even returned its task.
        if (!_pumping && Pending.Count > 0 && !_stopping.IsCancellationRequested)
        {
            _pumping = true;
            _pump = PumpAsync();
        }
    }

    /// <summary>Runs on the grain's scheduler, so it interleaves with EnqueueAsync only at its awaits.</summary>
    private async Task PumpAsync()
    {
        try
        {
            while (Pending.Count > 0 && !_stopping.IsCancellationRequested)
            {
                if (!Pending[0].Sent)
                {
                    EvokMetrics.OutboxDepth.Add(-OutboxQueue.JoinWaiting(Pending, _webhook.ComplexEvents, MaxJoinedBytes), _tag);

                    // Stored before the first attempt: after a restart the head goes out again under its id with the
                    // same body, rather than joined anew with whatever waits by then.
                    Pending[0] = Pending[0] with { Sent = true };
                    await PersistAsync();
                }

                var head = Pending[0];
                var outcome = await sender.SendAsync(_webhook, head.Id, head.Changes.ConvertAll(change => change.Json), head.Changes[^1].Seq, _stopping.Token);
                Pending.RemoveAt(0);
                EvokMetrics.OutboxDepth.Add(-1, _tag);
                Record(head, outcome);
                await PersistAsync();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The silo is stopping: the head stays queued (and persisted) for the next start.
        }
        catch (Exception exception)
        {
            LogPumpFailed(_webhook.Name, exception);
        }
        finally
        {
            // After a failure the next queued batch starts the pump again, rather than a loop that keeps failing.
            _pumping = false;
        }
    }

    private void Record(PendingDelivery delivery, WebhookOutcome outcome)
    {
        var now = DateTimeOffset.UtcNow;
        outbox.State.LastResult = outcome.ToString();
        outbox.State.LastDeliveryAt = now;
        if (outcome.Delivered)
        {
            outbox.State.Delivered++;
            EvokMetrics.WebhookDelivered.Add(1, _tag);
            EvokMetrics.DeliveryLatency.Record((now - delivery.ChangedAt).TotalMilliseconds, _tag);
            return;
        }

        outbox.State.Failed++;
        EvokMetrics.WebhookFailed.Add(1, _tag);
        LogRefused(_webhook.Name, delivery.Id, outcome.StatusCode);
    }

    private async Task PersistAsync()
    {
        if (InJournal)
        {
            PersistCursor();
            return;
        }

        // Memory storage would only copy the queue into another grain on every batch: it survives no restart, and
        // this grain is kept alive for the silo's life, so its own state is the same thing without the cost.
        if (!site.Storage.IsRedis)
        {
            return;
        }

        await _writing.WaitAsync();
        try
        {
            await outbox.WriteStateAsync();
        }
        catch (InconsistentStateException exception)
        {
            // The stored copy is not the one this grain wrote last: Redis lost it (FLUSHALL, a restart without
            // persistence) or someone changed it. What this grain holds is the truth: count it, take the store's
            // current version and write ours over it. Delivery goes on either way.
            outbox.State.StateLost++;
            EvokMetrics.WebhookStateLost.Add(1, _tag);
            LogStateLost(_webhook.Name, Pending.Count, exception.Message);
            await RewriteAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The store is unreachable: keep delivering from memory; the next write stores everything again.
            LogPersistFailed(_webhook.Name, exception.Message);
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>
    /// Everything before the first waiting change is done; the head in flight is named so that it goes out again as it
    /// was. Kept by the journal and written with its next group commit, so a cursor costs one row per commit, never
    /// one write per batch.
    /// </summary>
    private void PersistCursor()
    {
        var cursor = Pending.Count > 0 ? Pending[0].Changes[0].Seq - 1 : _seen;
        var head = Pending.Count > 0 && Pending[0].Sent ? Pending[0] : null;
        journal.SaveCursor(new OutboxCursor(_webhook.Name, cursor, head?.Id, head?.Changes.ConvertAll(change => change.Seq) ?? [])
        {
            Delivered = outbox.State.Delivered,
            Failed = outbox.State.Failed,
            Dropped = outbox.State.Dropped,
        });
    }

    /// <summary>Writes this grain's state over whatever the store holds now.</summary>
    private async Task RewriteAsync()
    {
        var held = outbox.State;
        try
        {
            await outbox.ReadStateAsync();
            outbox.State = held;
            await outbox.WriteStateAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            outbox.State = held;
            LogPersistFailed(_webhook.Name, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Webhook}: resuming {Count} deliveries kept from before the restart")]
    private partial void LogResuming(string webhook, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Webhook}: the changes after #{Cursor} it had not delivered before the restart are older than the journal keeps (oldest #{Oldest}); they are not sent")]
    private partial void LogJournalGap(string webhook, long cursor, long oldest);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Webhook} refused delivery {Id} with {Status}; it is not retried")]
    private partial void LogRefused(string webhook, string id, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Webhook}: the outbox's stored copy was lost or changed outside the silo ({Reason}); writing the {Count} deliveries it holds again")]
    private partial void LogStateLost(string webhook, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Webhook}: the outbox could not be stored ({Reason}); delivering from memory")]
    private partial void LogPersistFailed(string webhook, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Webhook} delivery loop failed")]
    private partial void LogPumpFailed(string webhook, Exception exception);
}

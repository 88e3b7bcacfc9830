using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Journal;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Grains.Webhooks;

/// <summary>
/// Hands the journal's batches to every webhook's outbox in the journal's order, one after the other. The devices'
/// subscriber grains publish side by side, so an outbox fed by them would see two devices' batches in either order;
/// fed from here, everything up to a journal number is either queued or not, and that number is all an outbox needs
/// to store to pick up after a restart.
/// </summary>
internal sealed partial class WebhookFeed(SiteConfiguration site, IGrainFactory grains, ChangeJournal journal, ILogger<WebhookFeed> logger)
{
    private const int ReadAtOnce = 512;

    private readonly CancellationTokenSource _stopping = new();
    private Task _feeding = Task.CompletedTask;

    /// <summary>Feeds what the journal gets after <paramref name="after"/> (what was there before, outboxes read themselves).</summary>
    public void Start(long after)
    {
        if (site.Api.Webhooks.Length > 0)
        {
            _feeding = Task.Run(() => FeedAsync(after));
        }
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await _feeding.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task FeedAsync(long after)
    {
        var node = new NodeGrains(grains, site.Node);
        var outboxes = site.Api.Webhooks.Select(webhook => (webhook, Outbox: node.Outbox(webhook.Name))).ToArray();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await journal.WaitAfterAsync(after, _stopping.Token);
                var entries = await journal.ReadAfterAsync(after, ReadAtOnce);
                foreach (var batch in JournalBatches.Split(entries))
                {
                    foreach (var (webhook, outbox) in outboxes)
                    {
                        if (batch.Any(entry => webhook.DeviceMask.Contains(entry.Kind)))
                        {
                            await outbox.EnqueueAsync(batch);
                        }
                    }

                    after = batch[^1].Seq;
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // An outbox that cannot take a batch now (the silo shutting down, a grain call timing out) is given
                // the same batch again: a batch it has already taken it ignores.
                LogFeedFailed(after, exception);
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook feed: handing the journal's changes after #{After} to the outboxes failed; trying again")]
    private partial void LogFeedFailed(long after, Exception exception);
}

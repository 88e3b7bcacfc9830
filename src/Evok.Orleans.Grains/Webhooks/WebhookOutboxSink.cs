using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Configuration;

namespace Evok.Orleans.Grains.Webhooks;

/// <summary>Hands each change batch to the outbox of every configured webhook, in stream order.</summary>
public sealed class WebhookOutboxSink(SiteConfiguration site, IGrainFactory grains) : IDeviceChangeSink
{
    public async ValueTask OnChangesAsync(DeviceChangeBatch batch, CancellationToken cancellationToken)
    {
        foreach (var webhook in site.Api.Webhooks)
        {
            if (batch.Changes.Any(change => webhook.DeviceMask.Contains(change.Kind)))
            {
                await new NodeGrains(grains, site.Node).Outbox(webhook.Name).EnqueueAsync(batch);
            }
        }
    }
}

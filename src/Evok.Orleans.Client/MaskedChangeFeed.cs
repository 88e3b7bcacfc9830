using System.Threading.Channels;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;

namespace Evok.Orleans.Client;

/// <summary>The client side of a watch: queues each pushed batch, keeping only the circuits the mask names.</summary>
internal sealed class MaskedChangeFeed(DeviceMask mask, ChannelWriter<DeviceChangeBatch> batches) : IDeviceChangeObserver
{
    public Task OnChangesAsync(DeviceChangeBatch batch)
    {
        var kept = batch.Changes.RemoveAll(change => !mask.Contains(change.Kind));
        if (!kept.IsEmpty)
        {
            batches.TryWrite(batch with { Changes = kept });
        }

        return Task.CompletedTask;
    }
}

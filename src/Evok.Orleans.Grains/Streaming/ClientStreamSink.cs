using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Hardware.Configuration;
using Orleans.Streams;

namespace Evok.Orleans.Grains.Streaming;

/// <summary>
/// Publishes every change batch on the Orleans streams client apps subscribe to (<c>apis.orleans_stream</c>): the
/// site's stream and the device's. Each publication is one call to a memory-stream queue grain, awaited so that
/// a device's batches are queued in its order; the queue's pulling agent then pushes them to every subscriber of the
/// site, so a slow client never holds the poller up.
/// </summary>
internal sealed class ClientStreamSink(IClusterClient cluster, SiteConfiguration site) : IDeviceChangeSink
{
    private readonly string _siteKey = EvokStreams.SiteStreamKey(site.Cluster?.Site ?? string.Empty);
    private IStreamProvider? _streams;

    public async ValueTask OnChangesAsync(DeviceChangeBatch batch, CancellationToken cancellationToken)
    {
        // Resolved on first use: the provider is a keyed service of the silo, created after the sinks.
        var streams = _streams ??= cluster.GetStreamProvider(EvokStreams.ChangeStreamProvider);
        await Task.WhenAll(
            streams.GetStream<DeviceChangeBatch>(EvokStreams.SiteChangesNamespace, _siteKey).OnNextAsync(batch),
            streams.GetStream<DeviceChangeBatch>(EvokStreams.DeviceChangesStreamNamespace, EvokStreams.DeviceStreamKey(batch.Node, batch.Device)).OnNextAsync(batch));
    }
}

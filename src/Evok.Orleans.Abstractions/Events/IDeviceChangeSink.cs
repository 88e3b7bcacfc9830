namespace Evok.Orleans.Abstractions.Events;

/// <summary>
/// A silo-local consumer of change batches (webhook delivery, WebSocket hub, log). Called in stream order by the
/// stream subscriber; it must hand the batch off quickly and never throw for a downstream failure.
/// </summary>
public interface IDeviceChangeSink
{
    ValueTask OnChangesAsync(DeviceChangeBatch batch, CancellationToken cancellationToken);
}

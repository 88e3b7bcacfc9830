using Orleans.Concurrency;

namespace Evok.Orleans.Abstractions.Events;

/// <summary>
/// A client app's live change feed (an Orleans grain observer): the silo pushes each device's change batches to it in
/// the order the device published them. One-way, so a slow or vanished client never holds the silo up.
/// </summary>
[Alias("evok.IDeviceChangeObserver")]
public interface IDeviceChangeObserver : IGrainObserver
{
    [OneWay, Alias("OnChanges")]
    Task OnChangesAsync(DeviceChangeBatch batch);
}

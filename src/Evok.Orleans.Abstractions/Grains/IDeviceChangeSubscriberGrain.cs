using Evok.Orleans.Abstractions.Events;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// The implicit subscriber of one device's change channel (key = device name). Client apps watch the device through
/// it: a watch lasts <see cref="WatchLifetime"/> unless renewed by calling <see cref="WatchAsync"/> again.
/// </summary>
[Alias("evok.IDeviceChangeSubscriberGrain")]
public interface IDeviceChangeSubscriberGrain : IGrainWithStringKey
{
    /// <summary>How long a watch lives without renewal: a client that vanished stops costing anything after it.</summary>
    public static readonly TimeSpan WatchLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Starts (or renews) pushing this device's change batches to <paramref name="observer"/>.</summary>
    [Alias("Watch")]
    Task WatchAsync(IDeviceChangeObserver observer);

    /// <summary>Stops pushing to <paramref name="observer"/>.</summary>
    [Alias("Unwatch")]
    Task UnwatchAsync(IDeviceChangeObserver observer);
}

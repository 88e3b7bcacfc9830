using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Grains;

namespace Evok.Orleans.Client;

/// <summary>
/// A live feed of controllers' change batches, for client apps and for a silo's API showing another controller: the
/// subscriber grain of every device pushes its batches, in the device's order, to one grain observer, and the watch
/// is renewed while it runs (a watch nobody renews ends on its own). Changes are not replayed.
/// </summary>
public static class ChangeWatch
{
    /// <summary>Change batches of the devices of <paramref name="nodes"/> (empty name: a controller on its own), keeping the circuits <paramref name="mask"/> names, until cancelled.</summary>
    public static async IAsyncEnumerable<DeviceChangeBatch> WatchAsync(
        IGrainFactory grains, IReadOnlyCollection<string> nodes, DeviceMask mask, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batches = Channel.CreateUnbounded<DeviceChangeBatch>(new UnboundedChannelOptions { SingleReader = true });

        // Orleans holds an observer object weakly: this local keeps it alive for as long as the watch runs.
        var feed = new MaskedChangeFeed(mask, batches.Writer);
        var observer = grains.CreateObjectReference<IDeviceChangeObserver>(feed);
        List<IDeviceChangeSubscriberGrain> subscribers;
        try
        {
            subscribers = [];
            foreach (var node in nodes.Select(name => new NodeGrains(grains, name)))
            {
                var channels = await node.Site.GetChangeChannelsAsync();
                subscribers.AddRange(channels.Select(node.ChangeSubscriber));
            }

            await Task.WhenAll(subscribers.Select(subscriber => subscriber.WatchAsync(observer)));
        }
        catch
        {
            // The watch never started: release the observer (watches that did start expire on their own).
            grains.DeleteObjectReference<IDeviceChangeObserver>(observer);
            throw;
        }

        using var stopRenewing = new CancellationTokenSource();
        var renewing = RenewAsync(subscribers, observer, stopRenewing.Token);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                yield return batch;
            }
        }
        finally
        {
            await stopRenewing.CancelAsync();
            await renewing;
            await Task.WhenAll(subscribers.Select(subscriber => UnwatchAsync(subscriber, observer)));
            grains.DeleteObjectReference<IDeviceChangeObserver>(observer);
            GC.KeepAlive(feed);
        }
    }

    /// <summary>Renews the watch well within its lifetime; a renewal that fails (silo restarting) is retried next time.</summary>
    private static async Task RenewAsync(List<IDeviceChangeSubscriberGrain> subscribers, IDeviceChangeObserver observer, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(IDeviceChangeSubscriberGrain.WatchLifetime / 4);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                foreach (var subscriber in subscribers)
                {
                    try
                    {
                        await subscriber.WatchAsync(observer);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task UnwatchAsync(IDeviceChangeSubscriberGrain subscriber, IDeviceChangeObserver observer)
    {
        try
        {
            await subscriber.UnwatchAsync(observer);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The silo is gone or going: the watch expires there on its own.
        }
    }
}

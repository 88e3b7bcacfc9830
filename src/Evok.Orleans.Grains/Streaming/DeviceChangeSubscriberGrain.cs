using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Grains.Placement;
using Evok.Orleans.Journal;
using Microsoft.Extensions.Logging;
using Orleans.BroadcastChannel;
using Orleans.Utilities;

namespace Evok.Orleans.Grains.Streaming;

/// <summary>
/// Receives each device's change batches, in the order its poller published them, numbers them in the change
/// journal (which feeds the webhook outboxes) and hands them to the silo's sinks (WebSocket clients, MQTT, log) and
/// to the client apps watching the device. The broadcast channel
/// pushes: no queue is polled, so a change reaches the sinks as soon as it is published. Sinks only enqueue and
/// watchers get one-way messages, so a slow receiver never holds the poller up; a failing sink is logged and the
/// others still get the batch. With no client watching, client feeds cost nothing.
/// </summary>
[NodePlacement]
[ImplicitChannelSubscription(EvokStreams.DeviceChangesNamespace)]
public sealed partial class DeviceChangeSubscriberGrain(IEnumerable<IDeviceChangeSink> sinks, ChangeJournal journal, ILogger<DeviceChangeSubscriberGrain> logger)
    : Grain, IDeviceChangeSubscriberGrain, IOnBroadcastChannelSubscribed
{
    private readonly IDeviceChangeSink[] _sinks = [.. sinks];
    private readonly ObserverManager<IDeviceChangeObserver> _watchers = new(IDeviceChangeSubscriberGrain.WatchLifetime, logger);

    public Task OnSubscribed(IBroadcastChannelSubscription subscription)
    {
        subscription.Attach<DeviceChangeBatch>(OnNextAsync, OnErrorAsync);
        return Task.CompletedTask;
    }

    public Task WatchAsync(IDeviceChangeObserver observer)
    {
        _watchers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnwatchAsync(IDeviceChangeObserver observer)
    {
        _watchers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private async Task OnNextAsync(DeviceChangeBatch batch)
    {
        // Numbered first: the journal is where webhooks and resumed WebSocket clients take their changes from, in
        // its order (with sync: always, once the batch is on disk), and every sink and watcher sees the numbers.
        batch = await journal.AppendAsync(batch);
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.OnChangesAsync(batch, CancellationToken.None);
            }
            catch (Exception exception)
            {
                LogSinkFailed(sink.GetType().Name, batch.Device, exception);
            }
        }

        if (_watchers.Count > 0)
        {
            await _watchers.Notify(watcher => watcher.OnChangesAsync(batch));
        }
    }

    private Task OnErrorAsync(Exception exception)
    {
        LogChannelError(this.GetPrimaryKeyString(), exception);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Change sink {Sink} failed on a batch of device {Device}")]
    private partial void LogSinkFailed(string sink, string device, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Change channel of device {Device} reported an error")]
    private partial void LogChannelError(string device, Exception exception);
}

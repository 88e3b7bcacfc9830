using Evok.Orleans.Abstractions.Events;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Evok.Orleans.Grains.Streaming;

/// <summary>
/// Receives each device's change batches in stream order and hands them to the silo's sinks (webhooks, log).
/// Sinks only enqueue, so a slow receiver never holds the stream up; a failing sink is logged, not rethrown,
/// because a rethrow would make the stream redeliver the batch to every sink.
/// </summary>
[ImplicitStreamSubscription(EvokStreams.DeviceChangesNamespace)]
public sealed partial class DeviceChangeSubscriberGrain(IEnumerable<IDeviceChangeSink> sinks, ILogger<DeviceChangeSubscriberGrain> logger)
    : Grain, IDeviceChangeSubscriberGrain, IStreamSubscriptionObserver, IAsyncObserver<DeviceChangeBatch>
{
    private readonly IDeviceChangeSink[] _sinks = [.. sinks];

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<DeviceChangeBatch>().ResumeAsync(this);

    public async Task OnNextAsync(DeviceChangeBatch item, StreamSequenceToken? token = null)
    {
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.OnChangesAsync(item, CancellationToken.None);
            }
            catch (Exception exception)
            {
                LogSinkFailed(sink.GetType().Name, item.Device, exception);
            }
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(this.GetPrimaryKeyString(), ex);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Change sink {Sink} failed on a batch of device {Device}")]
    private partial void LogSinkFailed(string sink, string device, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Change stream of device {Device} reported an error")]
    private partial void LogStreamError(string device, Exception exception);
}

using Evok.Orleans.Abstractions.Events;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Grains.Streaming;

/// <summary>
/// Logs every change at Debug: what an operator watching the console of a first run or a trouble-shooting session
/// wants to see (the silo without <c>--config</c>, or Evok's <c>logging.level: DEBUG</c>), and never the cost of a
/// console line per change on a controller under load.
/// </summary>
public sealed partial class ChangeLogSink(ILogger<ChangeLogSink> logger) : IDeviceChangeSink
{
    public ValueTask OnChangesAsync(DeviceChangeBatch batch, CancellationToken cancellationToken)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var change in batch.Changes)
            {
                LogChange(change.Key, change.Sequence, change.Json);
            }
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Key} #{Sequence} {Json}")]
    private partial void LogChange(string key, long sequence, string json);
}

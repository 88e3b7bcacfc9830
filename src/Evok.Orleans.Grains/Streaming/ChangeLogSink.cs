using Evok.Orleans.Abstractions.Events;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Grains.Streaming;

/// <summary>Logs every change at Information: what an operator watching the silo's console wants to see.</summary>
public sealed partial class ChangeLogSink(ILogger<ChangeLogSink> logger) : IDeviceChangeSink
{
    public ValueTask OnChangesAsync(DeviceChangeBatch batch, CancellationToken cancellationToken)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            foreach (var change in batch.Changes)
            {
                LogChange(change.Key, change.Sequence, change.Json);
            }
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Key} #{Sequence} {Json}")]
    private partial void LogChange(string key, long sequence, string json);
}

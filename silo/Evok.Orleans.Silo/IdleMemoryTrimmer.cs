using Evok.Orleans.Abstractions.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Silo;

/// <summary>
/// Gives memory back to the controller after a burst. The GC keeps the memory a burst made it commit (20 WebSocket
/// clients that never read: ~18 MB) although the heap is back to its size before; on a controller with 1–2 GB that
/// is memory other services lack. Every 10 s this compares what the GC has committed with what the heap holds, and
/// when more than 8 MB lie unused it runs one aggressive collection (a blocking full GC of a ~25 MB heap), which
/// returns them to the OS; at most every 30 s. In steady polling the unused part stays below that, so it runs once
/// after the start-up and then only after bursts (benchmark (b): one trim in the whole run).
/// </summary>
internal sealed partial class IdleMemoryTrimmer(ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    private const long UnusedLimit = 8L << 20;
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinimumGap = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        var lastTrim = DateTime.MinValue;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var memory = GC.GetGCMemoryInfo();
            var unused = memory.TotalCommittedBytes - memory.HeapSizeBytes;
            if (unused < UnusedLimit || DateTime.UtcNow - lastTrim < MinimumGap)
            {
                continue;
            }

            lastTrim = DateTime.UtcNow;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            EvokMetrics.MemoryTrims.Add(1);
            LogTrimmed(logger, unused >> 20, GC.GetGCMemoryInfo().TotalCommittedBytes >> 20);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Returned unused memory to the system: {Unused} MB were committed and unused; {Committed} MB committed now")]
    private static partial void LogTrimmed(ILogger logger, long unused, long committed);
}

using Evok.Orleans.Abstractions.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Silo;

/// <summary>
/// Gives memory back to the controller after a burst. The GC keeps the memory a burst made it commit (20 WebSocket
/// clients that never read: ~18 MB) although the heap is back to its size before; on a controller with 1–2 GB that
/// is memory other services lack. Every 5 s this looks at what the GC has committed; when it is more than 8 MB above
/// where it settled (its lowest since the last trim) or more than 8 MB lie unused, it runs one aggressive collection
/// (a blocking full GC of a ~25 MB heap), which returns them to the OS; at most every 15 s, and not while the
/// committed memory is still growing (a trim in the middle of a burst would take the burst's live data for the new
/// settled level and never return it). The first test matters:
/// right after a burst the GC has not yet shown the garbage as unused (no full collection ran since), so waiting for
/// the second test alone returned the memory only minutes later. In steady polling neither holds, so it runs once
/// after the start-up and then only after bursts (benchmark (b): one trim in the whole run).
/// </summary>
internal sealed partial class IdleMemoryTrimmer(ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    private const long Slack = 8L << 20;
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MinimumGap = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        var lastTrim = DateTime.MinValue;
        var settled = long.MaxValue;
        var previous = long.MaxValue;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var memory = GC.GetGCMemoryInfo();
            var committed = memory.TotalCommittedBytes;
            settled = Math.Min(settled, committed);
            var unused = committed - memory.HeapSizeBytes;
            var burstUnderWay = committed > previous + (1L << 20);
            previous = committed;
            if ((committed - settled < Slack && unused < Slack) || burstUnderWay || DateTime.UtcNow - lastTrim < MinimumGap)
            {
                continue;
            }

            lastTrim = DateTime.UtcNow;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            settled = previous = GC.GetGCMemoryInfo().TotalCommittedBytes;
            EvokMetrics.MemoryTrims.Add(1);
            LogTrimmed(logger, committed >> 20, settled >> 20);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Returned unused memory to the system: {Before} MB were committed, {Committed} MB now")]
    private static partial void LogTrimmed(ILogger logger, long before, long committed);
}

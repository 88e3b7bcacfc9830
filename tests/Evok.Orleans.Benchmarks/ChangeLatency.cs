using System.Diagnostics;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// Makes changes one at a time at random moments (not aligned with scans) and times each from the register change
/// to the webhook request that carries it. Anything before the expected state (an earlier state again) counts as a
/// duplicate; a change that does not arrive within 5 s counts as lost.
/// </summary>
internal static class ChangeLatency
{
    public static async Task<LatencySummary> MeasureAsync(
        string label, WebhookReceiver receiver, int changes, string circuit, Action<bool> change, int minPauseMs, int maxPauseMs)
    {
        var delays = new List<double>(changes);
        var delivered = 0;
        var duplicated = 0;
        for (var index = 0; index < changes; index++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(minPauseMs, maxPauseMs)));
            var on = index % 2 == 0;
            var started = Stopwatch.GetTimestamp();
            change(on);
            try
            {
                var request = await receiver.NextAsync(TimeSpan.FromSeconds(5));
                while (!request.Body.Contains($"\"circuit\": \"{circuit}\", \"value\": {(on ? 1 : 0)},", StringComparison.Ordinal))
                {
                    duplicated++;
                    request = await receiver.NextAsync(TimeSpan.FromSeconds(5));
                }

                delivered++;
                delays.Add(Stopwatch.GetElapsedTime(started, request.ReceivedAt).TotalMilliseconds);
            }
            catch (TimeoutException)
            {
                // Counted as lost.
            }
        }

        duplicated += (await receiver.CollectAsync(TimeSpan.FromMilliseconds(300))).Count;
        return new LatencySummary(label, changes, delivered, duplicated, delays);
    }
}

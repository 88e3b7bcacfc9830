using System.Globalization;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// What polling alone costs: the silo scans N unchanged boards at scan_frequency 50 with nothing to deliver, after a
/// warm-up that lets the JIT finish, so the figure is the steady state a controller pays around the clock.
/// </summary>
internal static class IdleScenario
{
    public static async Task<string> RunAsync(int boards, TimeSpan warmUp, TimeSpan window)
    {
        await using var site = await BenchmarkSite.StartAsync(boards);
        var silo = site.Silo;
        await Task.Delay(warmUp);
        var cpuBefore = silo.CpuTime;
        var writtenBefore = silo.WrittenBytes;
        var scansBefore = await silo.TotalScansAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(window);
        var cpu = (silo.CpuTime - cpuBefore).TotalSeconds;
        var scans = await silo.TotalScansAsync() - scansBefore;
        var elapsed = clock.Elapsed.TotalSeconds;
        var writtenPerDay = (silo.WrittenBytes - writtenBefore) / clock.Elapsed.TotalDays;
        return string.Create(CultureInfo.InvariantCulture,
            $"idle {boards} boards: scans/s per board={scans / elapsed / boards:0.0} cpu={cpu / elapsed * 100:0.0}% of one core " +
            $"cpu_us_per_board_scan={cpu / Math.Max(scans, 1) * 1e6:0.0} rss={silo.RssMegabytes:0}MB disk_write_per_day={writtenPerDay / 1e6:0.0}MB");
    }
}

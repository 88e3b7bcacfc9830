using System.Globalization;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// What the platform costs before any of our code: an Orleans silo and a slim web host with no grain, device or
/// endpoint of ours, started and measured like the product silo. Memory and idle CPU below this floor are out of
/// reach without leaving Orleans or ASP.NET Core; the product's own cost is its figures minus these.
/// </summary>
internal static class FloorScenario
{
    public static async Task<string> RunAsync(TimeSpan warmUp, TimeSpan window)
    {
        await using var silo = await SiloProcess.StartEmptyAsync();
        await Task.Delay(warmUp);
        var cpu = await silo.CpuPercentOverAsync(window);
        return string.Create(CultureInfo.InvariantCulture,
            $"floor: empty Orleans silo + web host, none of our code: cpu={cpu:0.0}% of one core rss={silo.RssMegabytes:0}MB");
    }
}

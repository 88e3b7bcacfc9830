using System.Globalization;

namespace Evok.Orleans.Benchmarks;

/// <summary>Percentiles of measured delays, printed the same way by every scenario.</summary>
internal sealed record LatencySummary(string Scenario, int Sent, int Delivered, int Duplicated, IReadOnlyList<double> Milliseconds)
{
    public int Lost => Sent - Delivered;

    public double Percentile(double p)
    {
        if (Milliseconds.Count == 0)
        {
            return double.NaN;
        }

        var sorted = Milliseconds.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public string Format() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Scenario}: sent={Sent} delivered={Delivered} lost={Lost} duplicated={Duplicated} " +
        $"p50={Percentile(50):0.0}ms p95={Percentile(95):0.0}ms p99={Percentile(99):0.0}ms max={Percentile(100):0.0}ms");
}

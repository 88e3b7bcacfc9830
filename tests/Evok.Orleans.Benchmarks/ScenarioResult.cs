using System.Globalization;

namespace Evok.Orleans.Benchmarks;

internal sealed record ScenarioResult(
    LatencySummary Fast,
    LatencySummary Slow,
    double ScansPerSecondPerBoard,
    double CpuPercentOfOneCore,
    double IdleCpuPercentOfOneCore,
    double CpuSecondsPer1000Events,
    IReadOnlyList<double> RssMegabytes)
{
    /// <summary>Aggressive collections the silo ran to return unused memory (evok.memory.trims), over the whole run.</summary>
    public long MemoryTrims { get; init; }

    /// <summary>Webhook requests the receiver got per second of the measured run (one can carry several batches).</summary>
    public double WebhookRequestsPerSecond { get; init; }

    /// <summary>Of the CPU in the window, the time the JIT compiled (mostly a one-off; see SiloProcess.JitTimeAsync).</summary>
    public double JitPercentOfOneCore { get; init; }

    /// <summary>Change → arrival at the scenario's other consumer (MQTT client, Orleans client app), when it had one.</summary>
    public LatencySummary? Observed { get; init; }

    /// <summary>Bytes written to storage per day at the rate of the idle window (<c>/proc/&lt;pid&gt;/io</c>).</summary>
    public double IdleWrittenBytesPerDay { get; init; }

    /// <summary>Bytes written to storage per day at the rate of the measured run.</summary>
    public double LoadWrittenBytesPerDay { get; init; }

    public string Format()
    {
        var samples = RssMegabytes.Count > 1
            ? $" rss_every_30s=[{string.Join(' ', RssMegabytes.Select(mb => mb.ToString("0", CultureInfo.InvariantCulture)))}]MB"
            : "";
        return string.Join(Environment.NewLine, new[] {
            Fast.Format(),
            Slow.Format(),
            Observed?.Format() ?? string.Empty,
            string.Create(CultureInfo.InvariantCulture,
                $"{Fast.Scenario.Split(' ')[0]} silo: scans/s per board={ScansPerSecondPerBoard:0.0} cpu={CpuPercentOfOneCore:0.0}% of one core (jit {JitPercentOfOneCore:0.0}) " +
                $"idle_cpu={IdleCpuPercentOfOneCore:0.0}% cpu_s_per_1000_events={CpuSecondsPer1000Events:0.00} rss={RssMegabytes[^1]:0}MB memory_trims={MemoryTrims} webhook_requests/s={WebhookRequestsPerSecond:0} " +
                $"disk_write_per_day: idle={IdleWrittenBytesPerDay / 1e6:0.0}MB load={LoadWrittenBytesPerDay / 1e6:0}MB") + samples,
        }.Where(line => line.Length > 0));
    }
}

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// <c>apis.metrics</c>: OpenTelemetry metrics, scraped by Prometheus at <c>/metrics</c> (<c>enabled</c>), with Orleans'
/// own meters (<c>orleans</c>) and optionally pushed over OTLP (<c>otlp_endpoint</c>). Orleans' meters are off by
/// default: once listened to, they record every message and grain call (histograms), about one point of a core and
/// 5 MB at 64 boards (issue 16), while ours say what a controller's user watches.
/// </summary>
public sealed record MetricsConfiguration(bool Enabled, bool OrleansMeters, Uri? OtlpEndpoint)
{
    public static MetricsConfiguration Default { get; } = new(Enabled: true, OrleansMeters: false, OtlpEndpoint: null);
}

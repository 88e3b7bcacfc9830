namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// <c>apis.metrics</c>: OpenTelemetry metrics, scraped by Prometheus at <c>/metrics</c> (<c>enabled</c>), with Orleans'
/// own meters (<c>orleans</c>) and optionally pushed over OTLP (<c>otlp_endpoint</c>).
/// </summary>
public sealed record MetricsConfiguration(bool Enabled, bool OrleansMeters, Uri? OtlpEndpoint)
{
    public static MetricsConfiguration Default { get; } = new(true, true, null);
}

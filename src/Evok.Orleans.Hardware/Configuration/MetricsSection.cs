using Evok.Orleans.Hardware.Writes;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Reads <c>apis.metrics</c>: the Prometheus endpoint, Orleans' meters, an OTLP collector.</summary>
internal static class MetricsSection
{
    public static MetricsConfiguration Parse(YamlSection? metrics)
    {
        if (metrics is null)
        {
            return MetricsConfiguration.Default;
        }

        Uri? otlp = null;
        if (metrics.OptionalString("otlp_endpoint") is { } endpoint &&
            !(Uri.TryCreate(endpoint, UriKind.Absolute, out otlp) && otlp.Scheme is "http" or "https"))
        {
            throw metrics.Error("otlp_endpoint", $"expected an http:// or https:// address of an OTLP collector, got '{WriteValue.Quote(endpoint)}'");
        }

        return new MetricsConfiguration(metrics.Boolean("enabled", MetricsConfiguration.Default.Enabled), metrics.Boolean("orleans", MetricsConfiguration.Default.OrleansMeters), otlp);
    }
}

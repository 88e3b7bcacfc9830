using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Evok.Orleans.Abstractions.Diagnostics;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Faults;

public sealed class MetricsTests
{
    [Fact]
    public async Task Scans_events_retries_deliveries_and_latency_are_measured_through_system_diagnostics_metrics()
    {
        var measured = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == EvokMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measured.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => measured.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.Start();

        await using var site = FaultSite.Create();
        await using var receiver = await WebhookReceiver.StartAsync(site.WebhookPort);
        var attempts = 0;
        receiver.StatusCode = () => Interlocked.Increment(ref attempts) <= 2 ? 503 : 200;
        await site.StartSiloAsync();
        await site.WaitForFirstScansAsync();
        // Two refused attempts, then the initial state accepted (in one request per board, or fewer when joined).
        var attempt = await receiver.NextAsync(TimeSpan.FromSeconds(20));
        while (attempt.Status != 200)
        {
            attempt = await receiver.NextAsync(TimeSpan.FromSeconds(20));
        }

        var accepted = 1 + (await receiver.CollectAsync(TimeSpan.FromSeconds(1))).Count(request => request.Status == 200);

        // The receiver records a request before it answers; the silo counts the delivery once the answer is in.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (measured.GetValueOrDefault("evok.webhook.delivered") < accepted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(measured.GetValueOrDefault("evok.scans") > 0);
        Assert.True(measured.GetValueOrDefault("evok.events.published") > 0);
        Assert.True(measured.GetValueOrDefault("evok.webhook.retried") >= 2);
        // At least: the listener hears every silo of this test process, and other test classes run beside this one.
        Assert.True(measured.GetValueOrDefault("evok.webhook.delivered") >= accepted);
        Assert.True(measured.GetValueOrDefault("evok.webhook.delivery_latency") > 0);
        Assert.True(measured.ContainsKey("evok.webhook.outbox_depth"));
    }

    [Fact]
    public async Task Prometheus_scrapes_scan_event_and_delivery_series_and_orleans_own_at_metrics_and_the_site_is_ready()
    {
        await using var site = FaultSite.Create();
        site.Configuration = site.Configuration with { Api = site.Configuration.Api with { Metrics = MetricsConfiguration.Default with { OrleansMeters = true } } };
        await using var receiver = await WebhookReceiver.StartAsync(site.WebhookPort);
        await site.StartSiloAsync();
        await site.WaitForFirstScansAsync();
        await receiver.NextAsync(TimeSpan.FromSeconds(20));

        // Exported at the next collection (the exporter caches a scrape briefly): poll until the delivery is in.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string metrics;
        do
        {
            await Task.Delay(200);
            metrics = await site.Api.GetStringAsync("metrics");
        }
        while (!metrics.Contains("evok_webhook_delivered", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.Matches(@"(?m)^evok_scans_total(\{[^}]*\})? [1-9]", metrics);
        Assert.Matches(@"(?m)^evok_events_published_total(\{[^}]*\})? [1-9]", metrics);
        Assert.Matches(@"(?m)^evok_webhook_delivered_total(\{[^}]*\})? [1-9]", metrics);
        Assert.Contains("evok_webhook_delivery_latency", metrics, StringComparison.Ordinal);
        Assert.Contains("orleans_", metrics, StringComparison.Ordinal);

        Assert.Equal("Healthy", await site.Api.GetStringAsync("health/live"));
        using var ready = await site.Api.GetAsync("health/ready");
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        using var report = System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        var data = report.RootElement.GetProperty("checks").GetProperty("site").GetProperty("data");
        Assert.Equal("online", data.GetProperty("modbus:1").GetString());
        var outbox = Assert.Single(data.EnumerateObject(), entry => entry.Name.StartsWith("webhook:", StringComparison.Ordinal));
        Assert.EndsWith(":outbox", outbox.Name, StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Number, outbox.Value.ValueKind);
    }
}

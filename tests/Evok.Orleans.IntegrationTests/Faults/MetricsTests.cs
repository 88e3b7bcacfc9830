using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Evok.Orleans.Abstractions.Diagnostics;
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
        for (var i = 0; i < 4; i++)
        {
            await receiver.NextAsync(TimeSpan.FromSeconds(20));
        }

        // The receiver records a request before it answers; the silo counts the delivery once the answer is in.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (measured.GetValueOrDefault("evok.webhook.delivered") < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(measured.GetValueOrDefault("evok.scans") > 0);
        Assert.True(measured.GetValueOrDefault("evok.events.published") > 0);
        Assert.True(measured.GetValueOrDefault("evok.webhook.retried") >= 2);
        Assert.True(measured.GetValueOrDefault("evok.webhook.delivered") >= 2);
        Assert.True(measured.GetValueOrDefault("evok.webhook.delivery_latency") > 0);
        Assert.True(measured.ContainsKey("evok.webhook.outbox_depth"));
    }
}

using System.Diagnostics.Metrics;

namespace Evok.Orleans.Abstractions.Diagnostics;

/// <summary>
/// The server's instruments (meter <c>Evok.Orleans</c>), readable by OpenTelemetry, dotnet-counters or any
/// <see cref="MeterListener"/>. Tags: <c>device</c> on scan instruments, <c>webhook</c> on delivery instruments.
/// </summary>
public static class EvokMetrics
{
    public const string MeterName = "Evok.Orleans";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Scans = Meter.CreateCounter<long>("evok.scans", description: "Modbus device scans that succeeded");

    public static readonly Counter<long> ScanErrors = Meter.CreateCounter<long>("evok.scan_errors", description: "Modbus device scans that failed");

    public static readonly Counter<long> EventsPublished = Meter.CreateCounter<long>("evok.events.published", description: "Circuit changes published on the change stream");

    public static readonly Counter<long> WebhookDelivered = Meter.CreateCounter<long>("evok.webhook.delivered", description: "Webhook requests the receiver accepted");

    public static readonly Counter<long> WebhookRetried = Meter.CreateCounter<long>("evok.webhook.retried", description: "Webhook attempts that failed and were retried");

    public static readonly Counter<long> WebhookFailed = Meter.CreateCounter<long>("evok.webhook.failed", description: "Webhook requests refused for good (4xx other than 408/429)");

    public static readonly Counter<long> WebhookDropped = Meter.CreateCounter<long>("evok.webhook.dropped", description: "Waiting webhook batches dropped or coalesced by the overflow policy");

    public static readonly Counter<long> WebhookStateLost = Meter.CreateCounter<long>("evok.webhook.state_lost", description: "Times an outbox found its stored copy lost or changed outside the silo and wrote it again");

    public static readonly Counter<long> MemoryTrims = Meter.CreateCounter<long>("evok.memory.trims", description: "Aggressive collections that returned memory left unused after a burst to the system");

    public static readonly UpDownCounter<long> OutboxDepth = Meter.CreateUpDownCounter<long>("evok.webhook.outbox_depth", description: "Webhook batches waiting to be delivered");

    public static readonly Histogram<double> DeliveryLatency = Meter.CreateHistogram<double>(
        "evok.webhook.delivery_latency", unit: "ms", description: "From the change being read to the receiver accepting it");
}

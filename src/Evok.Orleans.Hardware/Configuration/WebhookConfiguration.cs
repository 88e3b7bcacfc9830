using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>One webhook receiver: Evok's <c>apis.webhook</c>, or an entry of <c>apis.webhooks</c>.</summary>
public sealed record WebhookConfiguration(
    string Name,
    Uri Address,
    DeviceMask DeviceMask,
    bool ComplexEvents)
{
    public static readonly IReadOnlyList<string> DefaultDeviceMask = ["di", "sensor", "watchdog"];

    public static readonly Uri DefaultAddress = new("http://127.0.0.1:80/index.html");

    /// <summary>Standard Webhooks secret (<c>whsec_</c> + base64); deliveries are signed when it is set.</summary>
    public string? Secret { get; init; }

    /// <summary>How long one attempt may take before it counts as failed and is retried.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Batches the outbox holds while the receiver is away before <see cref="Overflow"/> applies.</summary>
    public int MaxOutstandingEvents { get; init; } = 10_000;

    public WebhookOverflow Overflow { get; init; } = WebhookOverflow.Coalesce;
}

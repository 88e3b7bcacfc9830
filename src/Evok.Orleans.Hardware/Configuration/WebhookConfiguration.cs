using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>One webhook receiver (Evok's <c>apis.webhook</c>).</summary>
public sealed record WebhookConfiguration(
    string Name,
    Uri Address,
    DeviceMask DeviceMask,
    bool ComplexEvents)
{
    public static readonly IReadOnlyList<string> DefaultDeviceMask = ["di", "sensor", "watchdog"];

    public static readonly Uri DefaultAddress = new("http://127.0.0.1:80/index.html");
}

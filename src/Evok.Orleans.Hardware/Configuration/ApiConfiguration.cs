using System.Collections.Immutable;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Evok's <c>apis</c> section.</summary>
public sealed record ApiConfiguration(
    string Address,
    int Port,
    bool WebSocketEnabled,
    ImmutableArray<WebhookConfiguration> Webhooks)
{
    /// <summary>Serve the Orleans dashboard at /orleans (it costs about 70 MB and a few % of a core; on by default).</summary>
    public bool OrleansDashboard { get; init; } = true;

    public static ApiConfiguration Default { get; } = new("127.0.0.1", 8080, true, []);
}

using System.Collections.Immutable;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Evok's <c>apis</c> section.</summary>
public sealed record ApiConfiguration(
    string Address,
    int Port,
    bool WebSocketEnabled,
    ImmutableArray<WebhookConfiguration> Webhooks)
{
    public static ApiConfiguration Default { get; } = new("127.0.0.1", 8080, true, []);
}

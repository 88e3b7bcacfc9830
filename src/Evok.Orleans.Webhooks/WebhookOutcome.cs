namespace Evok.Orleans.Webhooks;

/// <summary>How a delivery ended: accepted, or refused for good (a 4xx other than 408/429: retrying cannot help).</summary>
public sealed record WebhookOutcome(bool Delivered, int StatusCode)
{
    public override string ToString() => Delivered ? $"delivered ({StatusCode})" : $"refused ({StatusCode})";
}

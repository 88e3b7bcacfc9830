namespace Evok.Orleans.Grains.Webhooks;

/// <summary>The grain storage that holds webhook outboxes: memory by default, Redis when the site configures it.</summary>
public static class WebhookOutboxStorage
{
    public const string Name = "webhook-outbox";
}

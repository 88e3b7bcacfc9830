namespace Evok.Orleans.Webhooks;

/// <summary>One request to send: the body for complex events, null for Evok's bodiless GET.</summary>
internal sealed record WebhookDelivery(long Number, byte[]? Body, int Circuits);

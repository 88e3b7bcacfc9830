namespace Evok.Orleans.Webhooks;

/// <summary>The Standard Webhooks headers every delivery carries.</summary>
public static class WebhookHeaders
{
    /// <summary>Unique per batch and the same on every retry: receivers drop duplicates by it.</summary>
    public const string Id = "webhook-id";

    /// <summary>Unix seconds of the attempt (signed with the body, so a replay can be recognised as old).</summary>
    public const string Timestamp = "webhook-timestamp";

    /// <summary><c>v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>, when the webhook has a secret.</summary>
    public const string Signature = "webhook-signature";

    /// <summary>
    /// The journal number of the newest change in the request (not a Standard Webhooks header): every change up to it
    /// that the webhook's device_mask keeps has been sent, in this request or before (or coalesced away).
    /// </summary>
    public const string JournalSeq = "evok-seq";
}

using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Reads one webhook (Evok's <c>apis.webhook</c> or an entry of our <c>apis.webhooks</c>).</summary>
internal static class WebhookSection
{
    public static WebhookConfiguration Parse(string name, YamlSection webhook)
    {
        var address = WebhookConfiguration.DefaultAddress;
        if (webhook.OptionalString("address") is { } text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            {
                throw webhook.Error("address", $"expected an http:// or https:// URL, got '{text}'");
            }

            address = parsed;
        }

        var names = webhook.StringList("device_mask") ?? WebhookConfiguration.DefaultDeviceMask;
        if (!DeviceMask.TryParse(names, out var mask, out var unknown))
        {
            throw webhook.Error("device_mask", $"unknown device type '{unknown}' (known: {string.Join(", ", DeviceTypeNames.KnownNames)})");
        }

        var overflow = (webhook.OptionalString("overflow") ?? "coalesce").ToLowerInvariant() switch
        {
            "coalesce" => WebhookOverflow.Coalesce,
            "drop_oldest" => WebhookOverflow.DropOldest,
            "block" => throw webhook.Error("overflow", "'block' would stall polling while the receiver is away; use coalesce or drop_oldest"),
            var other => throw webhook.Error("overflow", $"expected coalesce or drop_oldest, got '{other}'"),
        };
        var secret = webhook.OptionalString("secret");
        if (secret is not null && !IsStandardWebhooksSecret(secret))
        {
            throw webhook.Error("secret", "expected whsec_ followed by base64 (at least 24 bytes), as Standard Webhooks defines");
        }

        return new WebhookConfiguration(name, address, mask, webhook.Boolean("complex_events", false))
        {
            Secret = secret,
            Timeout = TimeSpan.FromSeconds(webhook.Number("timeout", 5, 0.1, 300)),
            MaxOutstandingEvents = webhook.Integer("max_outstanding_events", 10_000, 1, 1_000_000),
            Overflow = overflow,
        };
    }

    private static bool IsStandardWebhooksSecret(string secret)
    {
        var encoded = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret;
        var bytes = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, bytes, out var length) && length >= 24;
    }
}

using System.Globalization;
using StandardWebhooks;

namespace Evok.Orleans.Webhooks;

/// <summary>
/// Stamps each attempt with <c>webhook-timestamp</c> and, with a secret, <c>webhook-signature</c>. It sits inside the
/// retry handler so every retry is signed afresh: a receiver that refuses old timestamps still accepts a delivery
/// that waited out an outage.
/// </summary>
internal sealed class StandardWebhookHeadersHandler(string? secret, TimeProvider clock) : DelegatingHandler
{
    private readonly StandardWebhook? _signer = secret is null ? null : new StandardWebhook(secret);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        request.Headers.Remove(WebhookHeaders.Timestamp);
        request.Headers.TryAddWithoutValidation(WebhookHeaders.Timestamp, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (_signer is not null)
        {
            var id = request.Headers.GetValues(WebhookHeaders.Id).Single();
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            request.Headers.Remove(WebhookHeaders.Signature);
            request.Headers.TryAddWithoutValidation(WebhookHeaders.Signature, _signer.Sign(id, now, body));
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

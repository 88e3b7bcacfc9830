using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Evok.Orleans.Hardware.Configuration;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Webhooks;

/// <summary>
/// Sends one delivery the way Evok does (complex: POST of a JSON array; simple: bodiless GET), with the Standard
/// Webhooks headers. Transient failures are retried inside the webhook's resilience pipeline until they succeed or
/// the silo stops, so this returns only a final outcome.
/// </summary>
public sealed partial class WebhookSender(IHttpClientFactory clients, ILogger<WebhookSender> logger)
{
    private readonly ConcurrentDictionary<string, bool> _redirectsReported = new(StringComparer.Ordinal);

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static string HttpClientName(string webhook) => $"evok-webhook:{webhook}";

    public async Task<WebhookOutcome> SendAsync(WebhookConfiguration webhook, string deliveryId, IReadOnlyList<string> deviceJson, long journalSeq, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(webhook.ComplexEvents ? HttpMethod.Post : HttpMethod.Get, webhook.Address);
        request.Content = new ByteArrayContent(webhook.ComplexEvents ? WebhookPayload.Build(deviceJson) : []);
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation(WebhookHeaders.Id, deliveryId);
        if (journalSeq > 0)
        {
            request.Headers.TryAddWithoutValidation(WebhookHeaders.JournalSeq, journalSeq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        using var response = await clients.CreateClient(HttpClientName(webhook.Name)).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return new WebhookOutcome(response.IsSuccessStatusCode, (int)response.StatusCode);
    }

    /// <summary>Says once per webhook where its receiver redirects to (called by the resilience pipeline on a 3xx).</summary>
    public void ReportRedirect(string webhook, HttpResponseMessage response)
    {
        if (_redirectsReported.TryAdd(webhook, true))
        {
            LogRedirect(webhook, (int)response.StatusCode, response.Headers.Location?.ToString() ?? "(no Location)");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Webhook}: the receiver answers {Status} and redirects to {Target}; redirects are not followed, deliveries are retried: fix the webhook's address")]
    private partial void LogRedirect(string webhook, int status, string target);
}

using System.Net.Http.Headers;
using Evok.Orleans.Hardware.Configuration;

namespace Evok.Orleans.Webhooks;

/// <summary>
/// Sends one delivery the way Evok does (complex: POST of a JSON array; simple: bodiless GET), with the Standard
/// Webhooks headers. Transient failures are retried inside the webhook's resilience pipeline until they succeed or
/// the silo stops, so this returns only a final outcome.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static string HttpClientName(string webhook) => $"evok-webhook:{webhook}";

    public async Task<WebhookOutcome> SendAsync(WebhookConfiguration webhook, string deliveryId, IReadOnlyList<string> deviceJson, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(webhook.ComplexEvents ? HttpMethod.Post : HttpMethod.Get, webhook.Address);
        request.Content = new ByteArrayContent(webhook.ComplexEvents ? WebhookPayload.Build(deviceJson) : []);
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation(WebhookHeaders.Id, deliveryId);
        using var response = await clients.CreateClient(HttpClientName(webhook.Name)).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return new WebhookOutcome(response.IsSuccessStatusCode, (int)response.StatusCode);
    }
}

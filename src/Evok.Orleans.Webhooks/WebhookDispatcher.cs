using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Hardware.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Webhooks;

/// <summary>Hands every change batch to each configured webhook endpoint and runs their senders.</summary>
public sealed class WebhookDispatcher : BackgroundService, IDeviceChangeSink
{
    public const string HttpClientName = "evok-webhook";
    private const int QueueCapacity = 10_000;
    private readonly IReadOnlyList<WebhookEndpoint> _endpoints;

    public WebhookDispatcher(SiteConfiguration site, IHttpClientFactory clients, ILogger<WebhookDispatcher> logger)
    {
        _endpoints = [.. site.Api.Webhooks.Select(webhook =>
            new WebhookEndpoint(webhook, clients.CreateClient(HttpClientName), QueueCapacity, logger))];
    }

    public ValueTask OnChangesAsync(DeviceChangeBatch batch, CancellationToken cancellationToken)
    {
        foreach (var endpoint in _endpoints)
        {
            endpoint.Enqueue(batch);
        }

        return ValueTask.CompletedTask;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_endpoints.Select(endpoint => endpoint.RunAsync(stoppingToken)));

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var endpoint in _endpoints)
        {
            endpoint.Complete();
        }

        return base.StopAsync(cancellationToken);
    }
}

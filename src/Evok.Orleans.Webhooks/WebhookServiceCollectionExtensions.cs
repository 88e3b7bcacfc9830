using Evok.Orleans.Abstractions.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Evok.Orleans.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Registers webhook delivery for the webhooks of the registered <c>SiteConfiguration</c>. Transient failures
    /// (connection refused, timeouts, 408, 429, 5xx) are retried with exponential back-off and jitter, POST included,
    /// because the payload is a state snapshot and a duplicate does no harm.
    /// </summary>
    public static IServiceCollection AddEvokWebhooks(this IServiceCollection services)
    {
        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .AddResilienceHandler("webhook", pipeline => pipeline
                .AddTimeout(TimeSpan.FromSeconds(30))
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 3,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(200),
                })
                .AddTimeout(TimeSpan.FromSeconds(5)));
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<IDeviceChangeSink>(provider => provider.GetRequiredService<WebhookDispatcher>());
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}

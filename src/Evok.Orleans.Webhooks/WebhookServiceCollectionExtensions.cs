using System.Net;
using Evok.Orleans.Abstractions.Diagnostics;
using Evok.Orleans.Hardware.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Evok.Orleans.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// One HttpClient per webhook, with a resilience pipeline from Microsoft.Extensions.Http.Resilience: connection
    /// failures, timeouts, 408, 429 (honouring Retry-After) and 5xx are retried with exponential back-off and jitter,
    /// capped at 30 s, for as long as it takes (the outbox bounds what waits); a circuit breaker stops hammering a
    /// receiver that keeps failing. Other 4xx answers are final.
    /// </summary>
    public static IServiceCollection AddEvokWebhooks(this IServiceCollection services, SiteConfiguration site)
    {
        services.AddSingleton<WebhookSender>();
        services.AddSingleton(TimeProvider.System);
        foreach (var webhook in site.Api.Webhooks)
        {
            var tag = new KeyValuePair<string, object?>("webhook", webhook.Name);
            // No per-request HttpClient log handlers: the resilience pipeline already logs every failed attempt, and
            // the two handlers cost two async state machines and a log scope on every delivery.
            // Redirects are never followed: a 301/302 would turn the POST into a bodiless GET, and a 307/308 would take
            // the signature to whatever host the receiver names. A 3xx is a failed attempt, retried like a 5xx.
            var client = services.AddHttpClient(WebhookSender.HttpClientName(webhook.Name), client => client.Timeout = Timeout.InfiniteTimeSpan)
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
                .RemoveAllLoggers();
            client.AddResilienceHandler(webhook.Name, (pipeline, context) => pipeline
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                        MaxRetryAttempts = int.MaxValue,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = FirstRetryDelay,
                        MaxDelay = MaxRetryDelay,
                        ShouldRetryAfterHeader = true,
                        OnRetry = args =>
                        {
                            EvokMetrics.WebhookRetried.Add(1, tag);
                            if (args.Outcome.Result is { StatusCode: >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest } redirect)
                            {
                                context.ServiceProvider.GetRequiredService<WebhookSender>().ReportRedirect(webhook.Name, redirect);
                            }

                            return ValueTask.CompletedTask;
                        },
                    })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                        FailureRatio = 0.9,
                        MinimumThroughput = 5,
                        SamplingDuration = TimeSpan.FromSeconds(10),
                        BreakDuration = TimeSpan.FromSeconds(2),
                    })
                    .AddTimeout(webhook.Timeout));

            // Added after the resilience handler, so it runs inside it: once per attempt.
            client.AddHttpMessageHandler(services => new StandardWebhookHeadersHandler(webhook.Secret, services.GetRequiredService<TimeProvider>()));
        }

        return services;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: OperationCanceledException } => false,
        { Exception: not null } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests ||
            (int)response.StatusCode is >= 300 and < 400 or >= 500,
        _ => false,
    };
}

using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.TestSupport;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, port picked by the system) that records every request, like the
/// Flask receiver in Evok's webhook documentation. <see cref="StatusCode"/> decides what it answers.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly Channel<ReceivedRequest> _requests = Channel.CreateUnbounded<ReceivedRequest>();
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app)
    {
        _app = app;
    }

    public Uri Address { get; private set; } = null!;

    public Func<int> StatusCode { get; set; } = () => 200;

    /// <summary>The Location a 3xx answer names.</summary>
    public Uri? RedirectTo { get; set; }

    /// <summary>How long each answer takes (a slow receiver).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>Starts on <paramref name="port"/>, or on a port the system picks (0).</summary>
    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Address = new Uri(address + "/");
        return receiver;
    }

    /// <summary>The next request, or a <see cref="TimeoutException"/> when none comes in time.</summary>
    public async Task<ReceivedRequest> NextAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await _requests.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no webhook request arrived within {timeout.TotalSeconds} s");
        }
    }

    /// <summary>
    /// The first request within <paramref name="timeout"/>, then every one that follows until none came for
    /// <paramref name="quiet"/>: a silo's initial state, however many requests its outbox joined it into.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedRequest>> NextBurstAsync(TimeSpan timeout, TimeSpan quiet)
    {
        var burst = new List<ReceivedRequest> { await NextAsync(timeout) };
        while (true)
        {
            using var deadline = new CancellationTokenSource(quiet);
            try
            {
                burst.Add(await _requests.Reader.ReadAsync(deadline.Token));
            }
            catch (OperationCanceledException)
            {
                return burst;
            }
        }
    }

    /// <summary>Requests that arrive within <paramref name="window"/> (for tests that expect none, or a count).</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> CollectAsync(TimeSpan window)
    {
        var received = new List<ReceivedRequest>();
        using var deadline = new CancellationTokenSource(window);
        try
        {
            while (true)
            {
                received.Add(await _requests.Reader.ReadAsync(deadline.Token));
            }
        }
        catch (OperationCanceledException)
        {
            return received;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var receivedAt = Stopwatch.GetTimestamp();
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var status = StatusCode();
        _requests.Writer.TryWrite(new ReceivedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.ContentType,
            body,
            headers,
            receivedAt,
            status));
        if (ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(ResponseDelay);
        }

        context.Response.StatusCode = status;
        if (status is >= 300 and < 400 && RedirectTo is { } target)
        {
            context.Response.Headers.Location = target.ToString();
        }

        await context.Response.WriteAsync("{\"status\": \"success\"}");
    }
}

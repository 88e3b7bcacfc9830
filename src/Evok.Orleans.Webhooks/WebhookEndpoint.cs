using System.Net.Http.Headers;
using System.Threading.Channels;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Hardware.Configuration;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Webhooks;

/// <summary>
/// One webhook receiver: keeps the circuits its <c>device_mask</c> names and sends batches one at a time, in the
/// order they were published, so a receiver never sees a circuit's states out of order. Enqueueing never waits:
/// a slow receiver delays its own queue, not the poller.
/// </summary>
internal sealed partial class WebhookEndpoint
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly Channel<WebhookDelivery> _queue;
    private readonly HttpClient _client;
    private readonly ILogger _logger;
    private long _enqueued;
    private long _dropped;

    public WebhookEndpoint(WebhookConfiguration configuration, HttpClient client, int capacity, ILogger logger)
    {
        Configuration = configuration;
        _client = client;
        _logger = logger;
        _queue = Channel.CreateBounded<WebhookDelivery>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public WebhookConfiguration Configuration { get; }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Enqueue(DeviceChangeBatch batch)
    {
        var kept = batch.Changes.Where(change => Configuration.DeviceMask.Contains(change.Kind)).ToList();
        if (kept.Count == 0)
        {
            return;
        }

        var body = Configuration.ComplexEvents ? WebhookPayload.Build(kept) : null;
        _queue.Writer.TryWrite(new WebhookDelivery(Interlocked.Increment(ref _enqueued), body, kept.Count));
    }

    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync(CancellationToken stopping)
    {
        await foreach (var delivery in _queue.Reader.ReadAllAsync(stopping))
        {
            await SendAsync(delivery, stopping);
        }
    }

    private async Task SendAsync(WebhookDelivery delivery, CancellationToken stopping)
    {
        using var request = new HttpRequestMessage(delivery.Body is null ? HttpMethod.Get : HttpMethod.Post, Configuration.Address);
        request.Content = new ByteArrayContent(delivery.Body ?? []);
        request.Content.Headers.ContentType = Json;
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stopping);
            if (!response.IsSuccessStatusCode)
            {
                LogRejected(Configuration.Address, delivery.Number, (int)response.StatusCode);
            }
        }
        catch (Exception exception) when (!stopping.IsCancellationRequested)
        {
            // Whatever the receiver or the network did (refused, reset, timed out, circuit open), the sender lives on.
            LogFailed(Configuration.Address, delivery.Number, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Address} answered {Status} to delivery {Number}")]
    private partial void LogRejected(Uri address, long number, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Address} delivery {Number} failed after retries: {Reason}")]
    private partial void LogFailed(Uri address, long number, string reason);
}

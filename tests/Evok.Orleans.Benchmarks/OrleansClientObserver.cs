using System.Diagnostics;
using System.Text.Json;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Client;
using Orleans.Streams;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// A client app of the benchmark's own (<see cref="EvokClient"/> through the silo's gateway) following every change
/// of the controller by <see cref="ClientFeed"/>: it times each expected change from the simulator write to the
/// batch's arrival in the client.
/// </summary>
internal sealed class OrleansClientObserver : IChangeObserver
{
    private readonly ExpectedChanges _changes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ClientFeed _feed;
    private EvokClient? _client;
    private Task _watching = Task.CompletedTask;
    private StreamSubscriptionHandle<DeviceChangeBatch>? _subscription;

    private OrleansClientObserver(ClientFeed feed) => _feed = feed;

    public bool IsIdle => _changes.IsIdle;

    public bool Pending(string key) => _changes.Pending(key);

    public static async Task<OrleansClientObserver> StartAsync(int gatewayPort, ClientFeed feed)
    {
        var observer = new OrleansClientObserver(feed);
        var client = observer._client = await EvokClient.ConnectAsync(gatewayPort);
        if (feed == ClientFeed.Stream)
        {
            observer._subscription = await client.ChangeStream().SubscribeAsync((batch, _) =>
            {
                observer.OnBatch(batch);
                return Task.CompletedTask;
            });
        }
        else
        {
            observer._watching = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in client.WatchAsync(DeviceMask.Everything, observer._stop.Token))
                    {
                        observer.OnBatch(batch);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        return observer;
    }

    public void Expect(string key, string value, bool measured) => _changes.Expect(key, value, measured);

    public LatencySummary Summary(string scenario) => _changes.Summary($"{scenario} client {_feed.ToString().ToLowerInvariant()}");

    private void OnBatch(DeviceChangeBatch batch)
    {
        var arrived = Stopwatch.GetTimestamp();
        foreach (var change in batch.Changes)
        {
            using var json = JsonDocument.Parse(change.Json);
            _changes.Arrived(change.Key, json.RootElement.GetProperty("value").GetRawText(), arrived);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        if (_subscription is not null)
        {
            await _subscription.UnsubscribeAsync();
        }

        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        _stop.Dispose();
    }
}

using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Evok.Orleans.Client;

/// <summary>
/// A connection to an Evok.Orleans site (an Orleans client): typed device access through <see cref="Devices"/> and a
/// live change feed through <see cref="WatchAsync"/>.
/// </summary>
public sealed class EvokClient : IAsyncDisposable
{
    private readonly IHost _host;

    private EvokClient(IHost host)
    {
        _host = host;
        Cluster = host.Services.GetRequiredService<IClusterClient>();
        Devices = new EvokDevices(Cluster);
    }

    public IClusterClient Cluster { get; }

    public EvokDevices Devices { get; }

    /// <summary>Connects to the silo on this machine (localhost clustering, gateway port 30000 unless told otherwise).</summary>
    public static async Task<EvokClient> ConnectAsync(int gatewayPort = 30000, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client
            .UseLocalhostClustering(gatewayPort)
            .AddMemoryStreams(EvokStreams.ProviderName));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EvokClient(host);
    }

    /// <summary>Change batches of every device, keeping the circuits <paramref name="mask"/> names, until cancelled.</summary>
    public async IAsyncEnumerable<DeviceChangeBatch> WatchAsync(DeviceMask mask, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batches = Channel.CreateUnbounded<DeviceChangeBatch>();
        var provider = Cluster.GetStreamProvider(EvokStreams.ProviderName);
        var subscriptions = new List<StreamSubscriptionHandle<DeviceChangeBatch>>();
        foreach (var device in await Cluster.GetGrain<ISiteGrain>(ISiteGrain.Key).GetDevicesAsync())
        {
            subscriptions.Add(await provider.GetStream<DeviceChangeBatch>(EvokStreams.DeviceChanges(device)).SubscribeAsync(
                (batch, _) =>
                {
                    var kept = batch.Changes.RemoveAll(change => !mask.Contains(change.Kind));
                    if (!kept.IsEmpty)
                    {
                        batches.Writer.TryWrite(batch with { Changes = kept });
                    }

                    return Task.CompletedTask;
                }));
        }

        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                yield return batch;
            }
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                await subscription.UnsubscribeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Evok.Orleans.Client;

/// <summary>
/// A connection to an Evok.Orleans controller or site (an Orleans client): typed device access through
/// <see cref="Devices"/> (one controller) or <see cref="Node"/> (a controller of a site), and a live change feed
/// through <see cref="WatchAsync"/>.
/// </summary>
public sealed class EvokClient : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly bool _isSite;

    private EvokClient(IHost host, bool isSite)
    {
        _host = host;
        _isSite = isSite;
        Cluster = host.Services.GetRequiredService<IClusterClient>();
        Devices = new EvokDevices(Cluster);
    }

    public IClusterClient Cluster { get; }

    /// <summary>The devices of the controller connected to with <see cref="ConnectAsync"/>.</summary>
    public EvokDevices Devices { get; }

    /// <summary>The devices of one controller of a site, by the names its own config gives them.</summary>
    public EvokDevices Node(string node) => Devices.OfNode(node);

    /// <summary>The controllers of the site (one unnamed node for a controller on its own).</summary>
    public Task<ImmutableArray<SiteNode>> NodesAsync() => SiteNodes.ListAsync(Cluster);

    /// <summary>Connects to the silo on this machine (localhost clustering, gateway port 30000 unless told otherwise).</summary>
    public static async Task<EvokClient> ConnectAsync(int gatewayPort = 30000, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client
            .UseLocalhostClustering(gatewayPort));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EvokClient(host, isSite: false);
    }

    /// <summary>
    /// Connects to a site of several controllers (config.yaml's <c>cluster</c>) through any of its gateways, found in
    /// the site's Redis membership table; when the gateway in use goes away, Orleans' client moves to another.
    /// </summary>
    /// <param name="site"><c>cluster.site</c>.</param>
    /// <param name="redis"><c>cluster.membership.connection_string</c>, e.g. <c>10.0.0.5:6379</c>.</param>
    public static async Task<EvokClient> ConnectToSiteAsync(string site, string redis, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(options =>
            {
                options.ClusterId = site;
                options.ServiceId = site;
            })
            .UseRedisClustering(redis));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EvokClient(host, isSite: true);
    }

    /// <summary>
    /// Change batches of every device, keeping the circuits <paramref name="mask"/> names, until cancelled. The silo
    /// pushes them (one grain observer per watch), renewed while the watch runs: a watch nobody renews ends on its own.
    /// </summary>
    public async IAsyncEnumerable<DeviceChangeBatch> WatchAsync(DeviceMask mask, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batches = Channel.CreateUnbounded<DeviceChangeBatch>(new UnboundedChannelOptions { SingleReader = true });

        // Orleans holds an observer object weakly: this local keeps it alive for as long as the watch runs.
        var feed = new MaskedChangeFeed(mask, batches.Writer);
        var observer = Cluster.CreateObjectReference<IDeviceChangeObserver>(feed);
        List<IDeviceChangeSubscriberGrain> subscribers;
        try
        {
            subscribers = [];
            IEnumerable<string> nodes = _isSite ? (await NodesAsync()).Where(node => node.IsActive).Select(node => node.Name) : [string.Empty];
            foreach (var node in nodes.Select(name => new NodeGrains(Cluster, name)))
            {
                var channels = await node.Site.GetChangeChannelsAsync();
                subscribers.AddRange(channels.Select(node.ChangeSubscriber));
            }

            await Task.WhenAll(subscribers.Select(subscriber => subscriber.WatchAsync(observer)));
        }
        catch
        {
            // The watch never started: release the observer (watches that did start expire on their own).
            Cluster.DeleteObjectReference<IDeviceChangeObserver>(observer);
            throw;
        }

        using var stopRenewing = new CancellationTokenSource();
        var renewing = RenewAsync(subscribers, observer, stopRenewing.Token);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                yield return batch;
            }
        }
        finally
        {
            await stopRenewing.CancelAsync();
            await renewing;
            await Task.WhenAll(subscribers.Select(subscriber => UnwatchAsync(subscriber, observer)));
            Cluster.DeleteObjectReference<IDeviceChangeObserver>(observer);
            GC.KeepAlive(feed);
        }
    }

    /// <summary>Renews the watch well within its lifetime; a renewal that fails (silo restarting) is retried next time.</summary>
    private static async Task RenewAsync(List<IDeviceChangeSubscriberGrain> subscribers, IDeviceChangeObserver observer, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(IDeviceChangeSubscriberGrain.WatchLifetime / 4);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                foreach (var subscriber in subscribers)
                {
                    try
                    {
                        await subscriber.WatchAsync(observer);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task UnwatchAsync(IDeviceChangeSubscriberGrain subscriber, IDeviceChangeObserver observer)
    {
        try
        {
            await subscriber.UnwatchAsync(observer);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The silo is gone or going: the watch expires there on its own.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

using System.Collections.Immutable;
using System.Runtime.CompilerServices;
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
    /// Change batches of every device (of every active controller of a site), keeping the circuits
    /// <paramref name="mask"/> names, until cancelled; see <see cref="ChangeWatch"/>.
    /// </summary>
    public async IAsyncEnumerable<DeviceChangeBatch> WatchAsync(DeviceMask mask, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IEnumerable<string> nodes = _isSite ? (await NodesAsync()).Where(node => node.IsActive).Select(node => node.Name) : [string.Empty];
        await foreach (var batch in ChangeWatch.WatchAsync(Cluster, [.. nodes], mask, cancellationToken))
        {
            yield return batch;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

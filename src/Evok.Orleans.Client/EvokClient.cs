using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Client.Security;
using Evok.Orleans.Clustering.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Streams;

namespace Evok.Orleans.Client;

/// <summary>
/// A connection to an Evok.Orleans controller or site (an Orleans client): typed device access through
/// <see cref="Devices"/> (one controller) or <see cref="Node"/> (a controller of a site), and a live change feed
/// through <see cref="WatchAsync(DeviceMask, CancellationToken)"/> (from a change number: <see cref="WatchAsync(DeviceMask, long, string, CancellationToken)"/>).
/// </summary>
public sealed class EvokClient : IAsyncDisposable
{
    private const int ReadAtOnce = 512;

    private readonly IHost _host;
    private readonly string _site;

    private EvokClient(IHost host, string site)
    {
        _host = host;
        _site = site;
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
            .UseLocalhostClustering(gatewayPort)
            .AddMemoryStreams(EvokStreams.ChangeStreamProvider));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EvokClient(host, site: string.Empty);
    }

    /// <summary>
    /// Connects to a site of several controllers (config.yaml's <c>cluster</c>) through any of its gateways, found in
    /// the site's Redis membership table; when the gateway in use goes away, Orleans' client moves to another.
    /// </summary>
    /// <param name="site"><c>cluster.site</c>.</param>
    /// <param name="redis"><c>cluster.membership.connection_string</c>, e.g. <c>10.0.0.5:6379</c>.</param>
    /// <param name="tls">The site's <c>cluster.tls</c> authority and this app's certificate, issued by it; null when the site has no TLS.</param>
    public static Task<EvokClient> ConnectToSiteAsync(string site, string redis, SiteTls? tls = null, CancellationToken cancellationToken = default) =>
        ConnectToSiteAsync(site, client => client.UseRedisClustering(redis), tls, cancellationToken);

    /// <summary>As <see cref="ConnectToSiteAsync(string, string, SiteTls?, CancellationToken)"/>, for a site whose membership is in PostgreSQL.</summary>
    /// <param name="postgreSql"><c>cluster.membership.connection_string</c>: <c>Host=10.0.0.5;Username=evok;Password=...;Database=evok</c>.</param>
    public static Task<EvokClient> ConnectToPostgreSqlSiteAsync(string site, string postgreSql, SiteTls? tls = null, CancellationToken cancellationToken = default) =>
        ConnectToSiteAsync(site, client => client.UsePostgreSqlClustering(postgreSql), tls, cancellationToken);

    private static async Task<EvokClient> ConnectToSiteAsync(string site, Action<IClientBuilder> membership, SiteTls? tls, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client
                .Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = site;
                    options.ServiceId = site;
                })
                .AddMemoryStreams(EvokStreams.ChangeStreamProvider);
            membership(client);
            if (tls is not null)
            {
                client.UseTls(tls.Configure);
            }
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EvokClient(host, site);
    }

    /// <summary>
    /// Change batches of every device (of every active controller of a site), keeping the circuits
    /// <paramref name="mask"/> names, until cancelled; see <see cref="ChangeWatch"/>.
    /// </summary>
    public async IAsyncEnumerable<DeviceChangeBatch> WatchAsync(DeviceMask mask, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IEnumerable<string> nodes = _site.Length > 0 ? (await NodesAsync()).Where(node => node.IsActive).Select(node => node.Name) : [string.Empty];
        await foreach (var batch in ChangeWatch.WatchAsync(Cluster, [.. nodes], mask, cancellationToken))
        {
            yield return batch;
        }
    }

    /// <summary>
    /// Every change of one controller (<paramref name="node"/>; empty for a controller on its own) after its journal
    /// number <paramref name="since"/>, that <paramref name="mask"/> keeps, in the journal's order: first what the
    /// journal kept (through a restart of this app or of the controller), then live ones as they come, until
    /// cancelled. Keep the <see cref="JournalEntry.Seq"/> of the last change handled and pass it next time; <c>0</c>
    /// starts from the oldest change kept. A page with <see cref="JournalPage.Gap"/> says changes after
    /// <paramref name="since"/> have left the journal: read the present states (<see cref="EvokDevices.ListAsync"/>).
    /// </summary>
    public async IAsyncEnumerable<JournalPage> WatchAsync(DeviceMask mask, long since, string node = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var journal = new NodeGrains(Cluster, node).Journal;
        var after = since;
        while (!cancellationToken.IsCancellationRequested)
        {
            JournalPage page;
            try
            {
                page = await journal.ReadAfterAsync(after, ReadAtOnce, mask, IChangeJournalGrain.MaxWait).WaitAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The controller restarting or out of reach: the journal is still there when it is back.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }

            after = page.Through;
            if (page.Gap || !page.Entries.IsEmpty)
            {
                yield return page;
            }
        }
    }

    /// <summary>
    /// An Orleans stream of change batches, to subscribe to with Orleans' own API (<c>SubscribeAsync</c>,
    /// <c>ResumeAsync</c>): <paramref name="device"/> null, every change of the site (of the controller connected to
    /// with <see cref="ConnectAsync"/>; <see cref="DeviceChangeBatch.Node"/> tells the controllers of a site apart);
    /// else that device's (<c>2</c>) of the controller <paramref name="node"/>. Controllers publish them with
    /// <c>apis.orleans_stream: true</c>. A live feed: batches published while nobody subscribed are not replayed.
    /// </summary>
    public IAsyncStream<DeviceChangeBatch> ChangeStream(string? device = null, string node = "")
    {
        var streams = Cluster.GetStreamProvider(EvokStreams.ChangeStreamProvider);
        return device is null
            ? streams.GetStream<DeviceChangeBatch>(EvokStreams.SiteChangesNamespace, EvokStreams.SiteStreamKey(_site))
            : streams.GetStream<DeviceChangeBatch>(EvokStreams.DeviceChangesStreamNamespace, EvokStreams.DeviceStreamKey(node, device));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

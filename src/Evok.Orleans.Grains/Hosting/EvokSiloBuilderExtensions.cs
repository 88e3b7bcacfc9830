using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Buses;
using Evok.Orleans.Grains.Failover;
using Evok.Orleans.Grains.Placement;
using Evok.Orleans.Grains.Site;
using Evok.Orleans.Grains.Streaming;
using Evok.Orleans.Grains.Webhooks;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Journal;
using Evok.Orleans.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.GrainDirectory;
using Orleans.Runtime.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Storage;

namespace Evok.Orleans.Grains.Hosting;

public static class EvokSiloBuilderExtensions
{
    /// <summary>Entries of the grain directory cache (remote activations' addresses).</summary>
    public const int DirectoryCacheSize = 1024;

    /// <summary>
    /// Wires a site into a silo: board maps, the buses, the alias registry, the change stream and its subscribers (log and
    /// webhooks), and the pollers, started when the silo becomes active. A bad site or alias file throws
    /// <see cref="ConfigurationException"/> here, before the silo starts.
    /// </summary>
    public static ISiloBuilder AddEvok(this ISiloBuilder silo, SiteConfiguration site)
    {
        var map = new SiteMap(site);
        silo.Services
            .AddSingleton(site)
            .AddSingleton(map)
            .AddSingleton(new NodeMaps(map))
            .AddSingleton<BusRegistry>()
            .AddSingleton(new AliasRegistry(map))
            .AddSingleton<IDeviceChangeSink, ChangeLogSink>()
            .AddSingleton(services => new ChangeJournal(JournalOptionsOf(site.Storage), services.GetRequiredService<ILogger<ChangeJournal>>()))
            .AddSingleton<WebhookFeed>()
            .AddEvokWebhooks(site)
            .AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiteStartup>()

            // Grain state in Orleans' binary format instead of the default Newtonsoft JSON: with storage: redis an
            // outbox is written on every queued and every delivered batch, and JSON made that the biggest cost of an event.
            .AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();

        // First of its kind, so that Orleans' grain interface resolver asks it before its own providers.
        silo.Services.Insert(0, ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider, CachedGrainInterfaceTypes>());

        // One silo per controller: every grain is local, so the directory cache of remote activations stays nearly
        // empty, yet Orleans' default (a million entries, allocated up front) holds 9 MB.
        silo.Configure<GrainDirectoryOptions>(options => options.CacheSize = DirectoryCacheSize);
        if (site.Storage.IsRedis)
        {
            silo.AddRedisGrainStorage(WebhookOutboxStorage.Name, options =>
                options.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(site.Storage.ConnectionString!));
        }
        else
        {
            silo.AddMemoryGrainStorage(WebhookOutboxStorage.Name);
        }

        // Every grain of a controller lives on that controller's silo (its buses exist only there), and in a site of
        // several controllers is found there too, so no controller depends on another for its own grains.
        silo.AddPlacementDirector<NodePlacement, NodePlacementDirector>();
        if (site.Cluster is not null)
        {
            silo.Services.AddSingleton<NodeGrainDirectory>();
            silo.AddGrainDirectory(NodeGrainDirectory.Name, (services, _) => services.GetRequiredService<NodeGrainDirectory>());
            silo.Services.AddSingleton<IGrainDirectoryResolver, NodeGrainDirectoryResolver>().AddSingleton<NodeOwnership>();

            // Every silo tells the others which nodes' failover buses it stands in for, so that all of them agree on
            // where a dead node's failover grains run (NodeOwnership).
            silo.UseSiloMetadata(new Dictionary<string, string> { [NodeOwnership.StandbyForKey] = string.Join(',', site.StandbyNodes) });
            if (!site.StandbyChannels.IsEmpty)
            {
                silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, FailoverStandby>();
            }
        }

        silo.AddBroadcastChannel(EvokStreams.ProviderName, options => options.FireAndForgetDelivery = false);
        if (site.Api.OrleansStream)
        {
            AddClientStreams(silo, site);
        }

        return silo;
    }

    /// <summary>The journal as config.yaml's <c>storage</c> section says.</summary>
    public static JournalOptions JournalOptionsOf(StorageConfiguration storage) => new()
    {
        DatabasePath = storage.JournalFile,
        CommitInterval = storage.CommitInterval,
        SyncEveryBatch = storage.SyncAlways,
        KeepChanges = storage.KeepChanges,
        KeepAge = storage.KeepAge,
    };

    /// <summary>
    /// How often the stream queue's pulling agent looks for batches: up to this much is added to a change's delay, and
    /// each look costs ~0.6 ms of CPU whether there is anything or not (measured: 20 ms cost 3 points of a core idle).
    /// </summary>
    public static readonly TimeSpan ClientStreamPollPeriod = TimeSpan.FromMilliseconds(50);

    /// <summary>Queues of the client streams, site-wide: one, as each is polled on its own (Orleans' default is 8).</summary>
    public const int ClientStreamQueues = 1;

    /// <summary>
    /// The Orleans streams client apps subscribe to (<see cref="EvokStreams.ChangeStreamProvider"/>): memory streams,
    /// a live feed that keeps nothing for a subscriber that was not there. Subscriptions are kept in the grain storage
    /// <c>PubSubStore</c>: in Redis when the site has one (its membership, else webhook storage; a subscription then
    /// outlives the silo that took it), else in memory (a client subscribes again after that controller restarts).
    /// </summary>
    private static void AddClientStreams(ISiloBuilder silo, SiteConfiguration site)
    {
        silo.AddMemoryStreams(EvokStreams.ChangeStreamProvider, streams =>
        {
            streams.ConfigurePartitioning(ClientStreamQueues);
            streams.ConfigurePullingAgent(agent => agent.Configure(options => options.GetQueueMsgsTimerPeriod = ClientStreamPollPeriod));
        });
        var redis = site.Cluster?.Membership is { Kind: MembershipKind.Redis } membership
            ? membership.ConnectionString
            : site.Storage.IsRedis ? site.Storage.ConnectionString : null;
        if (redis is not null)
        {
            silo.AddRedisGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME, options =>
                options.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
        }
        else
        {
            silo.AddMemoryGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME);
        }

        silo.Services.AddSingleton<IDeviceChangeSink, ClientStreamSink>();
    }
}

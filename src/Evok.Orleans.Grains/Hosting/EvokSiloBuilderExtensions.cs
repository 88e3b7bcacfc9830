using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Grains.Buses;
using Evok.Orleans.Grains.Site;
using Evok.Orleans.Grains.Streaming;
using Evok.Orleans.Grains.Webhooks;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Evok.Orleans.Grains.Hosting;

public static class EvokSiloBuilderExtensions
{
    /// <summary>
    /// How often the memory stream's pulling agents look for new batches. Only client apps' change feeds read the
    /// stream (the silo's own subscribers get batches pushed through the broadcast channel), so this trades a few
    /// tens of milliseconds of a client's feed for idle CPU: at 5 ms the agents alone cost ~13 % of a core.
    /// </summary>
    public static readonly TimeSpan StreamPullPeriod = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a batch stays in the memory stream's cache once its subscribers could have it.</summary>
    public static readonly TimeSpan StreamCacheRetention = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Wires a site into a silo: board maps, Modbus connections, the change stream and its subscribers (log and
    /// webhooks), and the pollers, started when the silo becomes active. A bad site or alias file throws
    /// <see cref="ConfigurationException"/> here, before the silo starts.
    /// </summary>
    public static ISiloBuilder AddEvok(this ISiloBuilder silo, SiteConfiguration site)
    {
        var map = new SiteMap(site);
        silo.Services
            .AddSingleton(site)
            .AddSingleton(map)
            .AddSingleton<ModbusBusConnections>()
            .AddSingleton<IModbusBusConnections>(services => services.GetRequiredService<ModbusBusConnections>())
            .AddSingleton(new AliasStore(site))
            .AddSingleton<IDeviceChangeSink, ChangeLogSink>()
            .AddSingleton<IDeviceChangeSink, WebhookOutboxSink>()
            .AddEvokWebhooks(site)
            .AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiteStartup>()

            // Grain state in Orleans' binary format instead of the default Newtonsoft JSON: an outbox is written on
            // every queued and every delivered batch, and JSON made that the biggest cost of an event.
            .AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        silo.AddMemoryGrainStorage("PubSubStore");
        if (site.Storage.IsRedis)
        {
            silo.AddRedisGrainStorage(WebhookOutboxStorage.Name, options =>
                options.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(site.Storage.ConnectionString!));
        }
        else
        {
            silo.AddMemoryGrainStorage(WebhookOutboxStorage.Name);
        }

        silo.AddBroadcastChannel(EvokStreams.ProviderName, options => options.FireAndForgetDelivery = false);
        silo.AddMemoryStreams(EvokStreams.ProviderName, streams =>
        {
            streams.ConfigurePartitioning(1);
            streams.ConfigurePullingAgent(options => options.Configure(agent => agent.GetQueueMsgsTimerPeriod = StreamPullPeriod));

            // Client feeds start at the newest change and never rewind, so delivered batches need not stay cached:
            // the defaults (up to 30 minutes) made the silo grow by ~4 MB every 30 s at 200 changes/s.
            streams.ConfigureCacheEviction(options => options.Configure(cache =>
            {
                cache.DataMinTimeInCache = StreamCacheRetention;
                cache.DataMaxAgeInCache = StreamCacheRetention * 2;
                cache.MetadataMinTimeInCache = StreamCacheRetention * 2;
            }));
        });
        return silo;
    }
}

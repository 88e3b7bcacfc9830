using System.Net;
using Evok.Orleans.Client.Security;
using Evok.Orleans.Clustering.PostgreSql;
using Evok.Orleans.Hardware.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Evok.Orleans.Silo;

/// <summary>
/// How a controller's silo finds the others. No <c>cluster</c> section: a cluster of one on loopback, as always.
/// With one: the site's id, this node's name as the silo's name (what <c>NodePlacement</c> places by), the ports on
/// the advertised address, the membership table in Redis or PostgreSQL and, with <c>cluster.tls</c>, mutual TLS.
/// </summary>
internal static class SiteMembership
{
    public static void Configure(ISiloBuilder silo, ClusterConfiguration? cluster, int siloPort, int gatewayPort)
    {
        silo.Services.AddKeyedSingleton<TimeProvider, SiloStartClock>(TimeProviderNames.Membership);
        if (cluster is null)
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            return;
        }

        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.Site;
            options.ServiceId = cluster.Site;
        });
        silo.Configure<SiloOptions>(options => options.SiloName = cluster.Node);

        // A loopback address keeps the ports on loopback (several nodes on one machine); any other is listened on
        // every interface, as the controllers of a site reach each other over the building's network.
        if (cluster.AdvertisedAddress is { } advertised)
        {
            silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
        }
        else
        {
            silo.ConfigureEndpoints(siloPort, gatewayPort, listenOnAnyHostAddress: true);
        }

        // A controller that dies is declared dead after ~3 missed probes of 2 s (Orleans' default: 3 of 5 s), so its
        // devices show as unavailable within seconds rather than after a quarter of a minute.
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(2);
            options.NumMissedProbesLimit = 3;
        });
        if (cluster.Membership.Kind == MembershipKind.PostgreSql)
        {
            silo.Services.AddPostgreSqlMembershipTable(cluster.Membership.ConnectionString);
        }
        else
        {
            silo.UseRedisClustering(options => options.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(cluster.Membership.ConnectionString));
        }

        if (cluster.Tls is { } tls)
        {
            // Silo to silo and client app to gateway: both ends show a certificate of the site's authority.
            var refused = new RefusedCertificates();
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services =>
            {
                refused.Attach(services.GetRequiredService<ILogger<RefusedCertificates>>());
                return refused;
            });
            silo.UseTls(options => new SiteTls(tls.Ca, tls.Certificate, tls.Key).Configure(options, refused.Refused));
        }
    }
}

using System.Net;
using System.Security.Cryptography.X509Certificates;
using Evok.Orleans.Abstractions.Diagnostics;
using Evok.Orleans.Api;
using Evok.Orleans.Api.Http;
using Evok.Orleans.Api.Security;
using Evok.Orleans.Grains.Hosting;
using Evok.Orleans.Grains.Streaming;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Mqtt;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace Evok.Orleans.Silo;

/// <summary>
/// The composition of a controller's silo: Orleans (a cluster of one on loopback, or a node of a site: <see cref="SiteMembership"/>), the polling and
/// delivery of <see cref="EvokSiloBuilderExtensions.AddEvok"/>, and the Evok API on <c>apis.address:apis.port</c>.
/// The program and the tests build it the same way.
/// </summary>
public static class EvokSiloHost
{
    /// <param name="logChanges">Log every change (a Debug line each, <see cref="ChangeLogSink"/>) whatever the log level.</param>
    /// <param name="siloPort">Null: <c>cluster.silo_port</c>, else 11111.</param>
    /// <param name="gatewayPort">Null: <c>cluster.gateway_port</c>, else 30000.</param>
    public static WebApplication Build(SiteConfiguration site, int? siloPort = null, int? gatewayPort = null, bool logChanges = false)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.Services.AddSystemd();
        builder.Services.AddHostedService<IdleMemoryTrimmer>();
        if (Environment.GetEnvironmentVariable("WATCHDOG_USEC") is not null)
        {
            // The unit's WatchdogSec= (systemd sets WATCHDOG_USEC and NOTIFY_SOCKET for it).
            builder.Services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
            builder.Services.AddHostedService<SystemdWatchdog>();
        }

        // A degraded check is logged by whoever found the problem, once; the health service would log it again at
        // every probe (a monitor asking every 10 s fills a controller's journal with the same line).
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Error);
        if (logChanges)
        {
            builder.Logging.AddFilter<ConsoleLoggerProvider>(typeof(ChangeLogSink).FullName, LogLevel.Debug);
        }

        if (site.LogLevel is { } level)
        {
            // Evok's logging.level sets how much our own components say; Orleans and ASP.NET keep their defaults.
            builder.Logging.AddFilter("Evok", level switch
            {
                "DEBUG" => LogLevel.Debug,
                "INFO" => LogLevel.Information,
                "WARNING" or "WARN" => LogLevel.Warning,
                "ERROR" => LogLevel.Error,
                _ => LogLevel.Critical,
            });
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Evok's request bodies are a few hundred bytes: anything beyond the API's limit is refused with 413 before it is read.
            kestrel.Limits.MaxRequestBodySize = EvokHttpEndpoints.MaxBodyBytes;
            void Configure(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen)
            {
                if (site.Api.Tls is { } tls)
                {
                    listen.UseHttps(X509Certificate2.CreateFromPemFile(tls.Certificate, tls.Key));
                }
            }

            if (string.IsNullOrWhiteSpace(site.Api.Address))
            {
                kestrel.ListenAnyIP(site.Api.Port, Configure);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(site.Api.Address), site.Api.Port, Configure);
            }
        });
        builder.UseOrleans(silo =>
        {
            SiteMembership.Configure(
                silo,
                site.Cluster,
                siloPort ?? site.Cluster?.SiloPort ?? ClusterConfiguration.DefaultSiloPort,
                gatewayPort ?? site.Cluster?.GatewayPort ?? ClusterConfiguration.DefaultGatewayPort);
            silo.AddEvok(site);
            if (site.Api.OrleansDashboard)
            {
                // As the package ships it (~70 MB more, read at start), hence off unless apis.orleans_dashboard asks.
                silo.AddDashboard(options => options.HideTrace = true);
            }
        });
        builder.Services.AddEvokApi(new EvokApiOptions
        {
            JsonStyle = site.Api.JsonStyle,
            WebSocketEnabled = site.Api.WebSocketEnabled,
            WebSocketAllFiltered = site.Api.WebSocketAllFiltered,
            Tokens = site.Api.Tokens,
            Hosts = site.Api.Hosts,
            CorsOrigins = site.Api.CorsOrigins,
            Node = site.Node,
        });
        builder.Services.AddSingleton<ISiteNodeSource, MembershipNodeSource>();
        builder.Services.AddEvokMqtt(site);
        AddMetrics(builder.Services, site.Api.Metrics);
        var app = builder.Build();

        // The request checks come first and cover everything below. The device dashboard (dashboards/device) at / and
        // /devices is public (its page logs in when apis.auth is on; the data it shows comes from the API); the Orleans
        // dashboard at /orleans needs the read role.
        app.UseEvokApi();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapGet("/devices", () => Results.File(Path.Combine(app.Environment.WebRootPath, "index.html"), "text/html"));
        if (site.Api.OrleansDashboard)
        {
            IEndpointConventionBuilder dashboard = app.MapOrleansDashboard(routePrefix: ApiAccess.OrleansDashboardPath).RequireAuthorization(ApiAccess.Read);
            dashboard.Finally(NotFoundForBadSiloAddress);
        }

        if (site.Api.Metrics.Enabled)
        {
            app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(ApiAccess.Read);
        }

        return app;
    }

    /// <summary>
    /// The Orleans dashboard answers a silo address it cannot parse (<c>/orleans/SiloProperties/x</c>) with an
    /// exception, which would be a 500 and a <c>fail:</c> line in our log: such a path names nothing, so it is a 404.
    /// </summary>
    private static void NotFoundForBadSiloAddress(EndpointBuilder endpoint)
    {
        if (endpoint.RequestDelegate is not { } inner)
        {
            return;
        }

        endpoint.RequestDelegate = async context =>
        {
            try
            {
                await inner(context);
            }
            catch (Exception exception) when ((exception is FormatException || exception.InnerException is FormatException) && !context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }
        };
    }

    /// <summary>
    /// Our meter (scans, events, deliveries, outbox depth) and, unless <c>apis.metrics.orleans</c> is false, Orleans'
    /// own, for Prometheus to scrape and, with <c>otlp_endpoint</c>, pushed over OTLP.
    /// </summary>
    private static void AddMetrics(IServiceCollection services, MetricsConfiguration metrics)
    {
        if (!metrics.Enabled)
        {
            return;
        }

        services.AddOpenTelemetry().WithMetrics(meters =>
        {
            // The runtime's own meter (GC heap and committed memory, thread pool, CPU): observable instruments, read
            // only when scraped, and what a user needs to tell a leak from a GC that keeps memory after a burst.
            const string RuntimeMeter = "System.Runtime";
            meters.AddMeter(EvokMetrics.MeterName, RuntimeMeter);

            // OpenTelemetry sets aside room for 2 000 tag combinations per instrument up front: a 144 KB array each,
            // 4 MB of the heap for ours and the runtime's (dotnet-gcdump, issue 16). Ours are tagged by device or
            // webhook (a site has a few hundred at most), the runtime's by a handful of values (GC generation, CPU
            // mode, exception type); a combination beyond the limit is still counted, in OpenTelemetry's overflow point.
            meters.AddView(instrument => instrument.Meter.Name switch
            {
                EvokMetrics.MeterName => new MetricStreamConfiguration { CardinalityLimit = 1024 },
                RuntimeMeter => new MetricStreamConfiguration { CardinalityLimit = 64 },
                _ => null,
            });
            if (metrics.OrleansMeters)
            {
                meters.AddMeter("Microsoft.Orleans");
            }

            meters.AddPrometheusExporter();
            if (metrics.OtlpEndpoint is { } endpoint)
            {
                meters.AddOtlpExporter(otlp => otlp.Endpoint = endpoint);
            }
        });
    }

    /// <summary>
    /// Null when the API's port can be listened on, else why not. Checked before the silo starts, so a port already
    /// taken (by Evok itself, typically) is one line and exit 2 rather than a silo that starts and stops again.
    /// </summary>
    public static string? PortProblem(ApiConfiguration api)
    {
        // The loader has resolved a host name: the address is empty (every interface) or an IP address.
        var address = string.IsNullOrWhiteSpace(api.Address) ? System.Net.IPAddress.Any : System.Net.IPAddress.Parse(api.Address);
        try
        {
            var probe = new System.Net.Sockets.TcpListener(address, api.Port);
            probe.Start();
            probe.Stop();
            return null;
        }
        catch (System.Net.Sockets.SocketException exception)
        {
            return $"cannot listen on {ListenUrl(api)}: {exception.Message} (another silo, or Evok itself, uses the port; stop it or set apis.port)";
        }
    }

    public static string ListenUrl(ApiConfiguration api)
    {
        var scheme = api.Tls is null ? "http" : "https";
        return string.IsNullOrWhiteSpace(api.Address) ? $"{scheme}://*:{api.Port}" : $"{scheme}://{api.Address}:{api.Port}";
    }
}

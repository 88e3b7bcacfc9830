using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace Evok.Orleans.Silo;

/// <summary>
/// Starts what the Orleans dashboard needs on a silo, in place of the package's own start-up service
/// (<c>DashboardHost</c>), which does three things: activates the dashboard's grain (which activates itself when a
/// browser first asks, so that is left to the browser), tells the silo's dashboard service the Orleans and host
/// versions (done here), and builds an OpenTelemetry meter provider that feeds Orleans' instruments to the
/// dashboard's counters page every second, for the silo's whole life, giving every instrument room for 2 000 tag
/// combinations up front: 95 instruments × 144 KB = 13.7 MB of large-object heap on every controller, most of which
/// never open the dashboard (issue 16, dotnet-gcdump). Ours feeds the same page through the package's own exporter,
/// with room for 256 combinations each (Orleans' tags are grain types and message kinds: a few dozen), and only while
/// the dashboard is asked for something (<see cref="FeedWhileRequested"/>): it stops two minutes after the last request.
/// Should a later package rename the types this relies on, <see cref="Replace"/> leaves the package's service in
/// place: the dashboard works, at its old cost.
/// </summary>
internal sealed partial class OrleansDashboardHost(
    IServiceProvider services, ILocalSiloDetails silo, TimeProvider timeProvider, ILogger<OrleansDashboardHost> logger)
    : IHostedService, IDisposable
{
    /// <summary>The meter of Orleans' instruments (<c>OrleansInstruments</c>), which the dashboard listens to.</summary>
    private const string OrleansMeter = "Microsoft.Orleans";

    private static readonly Assembly Dashboard = typeof(DashboardOptions).Assembly;
    private static readonly Type? PackageHost = Dashboard.GetType("Orleans.Dashboard.DashboardHost");
    private static readonly Type? Exporter = Dashboard.GetType("Orleans.Dashboard.Implementation.DashboardTelemetryExporter");
    private static readonly MethodInfo? SiloService = Dashboard.GetType("Orleans.Dashboard.Core.ISiloGrainClient")?.GetMethod("GrainService");
    private static readonly MethodInfo? SetVersion = SiloService?.ReturnType.GetMethod("SetVersion");

    /// <summary>How long after the dashboard's last request its counters stop being fed.</summary>
    private static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(2);

    private readonly Lock _gate = new();
    private MeterProvider? _meters;
    private ITimer? _idleCheck;
    private long _lastRequest;
    private bool _disposed;

    /// <summary>Whether Orleans' counters are being fed to the dashboard's page now.</summary>
    public bool FeedsCounters => Volatile.Read(ref _meters) is not null;

    /// <summary>Registers this service in place of the package's, when the types it relies on are where they were.</summary>
    public static void Replace(IServiceCollection services)
    {
        if (PackageHost is null || Exporter is null || SetVersion?.GetParameters().Length != 3)
        {
            return;
        }

        // The package registers its service once and hands it out as a hosted service and as a participant in the
        // silo's lifecycle (two factories that resolve it). Only with both gone is it never created; else both stay.
        var package = services.Where(service => service.ServiceType != PackageHost && Resolves(service, PackageHost)).ToList();
        if (package.Any(service => service.ServiceType == typeof(IHostedService))
            && package.Any(service => service.ServiceType == typeof(ILifecycleParticipant<ISiloLifecycle>)))
        {
            package.ForEach(service => services.Remove(service));
            services.AddSingleton<OrleansDashboardHost>();
            services.AddHostedService(provider => provider.GetRequiredService<OrleansDashboardHost>());
        }
    }

    private static bool Resolves(ServiceDescriptor service, Type implementation) =>
        service.ImplementationType == implementation
        || service.ImplementationFactory is { } factory
            && (factory.Method.ReturnType == implementation
                // Orleans' AddFromExisting: a closure that holds the type it resolves.
                || factory.Target?.GetType().GetFields().Any(field => field.FieldType == typeof(Type) && Equals(field.GetValue(factory.Target), implementation)) == true);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The versions the dashboard's silo page shows, as the package's service gives them.
        try
        {
            var siloService = SiloService!.Invoke(services.GetRequiredService(SiloService.DeclaringType!), [silo.SiloAddress]);
            var host = Assembly.GetEntryAssembly()?.GetName().Version?.ToString() ?? "1.0.0.0";
            await (Task)SetVersion!.Invoke(siloService, [OrleansVersion, host, cancellationToken])!;
        }
        catch (Exception exception)
        {
            LogVersionNotSet(exception);
        }
    }

    /// <summary>
    /// Wraps an endpoint of the dashboard so that its requests (the page asks every second while it is open) keep
    /// Orleans' counters flowing to it.
    /// </summary>
    public static void FeedWhileRequested(EndpointBuilder endpoint)
    {
        if (endpoint.ApplicationServices.GetService<OrleansDashboardHost>() is { } host && endpoint.RequestDelegate is { } serve)
        {
            endpoint.RequestDelegate = context =>
            {
                host.OnRequest();
                return serve(context);
            };
        }
    }

    /// <summary>
    /// Starts the provider that feeds Orleans' counters to the page, if it is not running. While it runs, every
    /// message Orleans sends or receives and every activation is measured for it; nobody pays for that while the
    /// dashboard is closed. Each start has an exporter of its own: a provider shuts down the exporter it is given.
    /// </summary>
    private void OnRequest()
    {
        Volatile.Write(ref _lastRequest, timeProvider.GetTimestamp());
        if (Volatile.Read(ref _meters) is not null)
        {
            return;
        }

        lock (_gate)
        {
            if (_meters is not null || _disposed)
            {
                return;
            }

            _meters = Sdk.CreateMeterProviderBuilder()
                .AddMeter(OrleansMeter)
                .AddView(DashboardView)
                .AddReader(new PeriodicExportingMetricReader((BaseExporter<Metric>)ActivatorUtilities.CreateInstance(services, Exporter!), 1000, 1000))
                .Build();
            _idleCheck ??= timeProvider.CreateTimer(static state => ((OrleansDashboardHost)state!).StopWhenIdle(), this, IdleAfter, IdleAfter);
            LogCountersStarted();
        }
    }

    /// <summary>Stops feeding the counters once the dashboard has not been asked for anything for a while.</summary>
    private void StopWhenIdle()
    {
        if (timeProvider.GetElapsedTime(Volatile.Read(ref _lastRequest)) < IdleAfter)
        {
            return;
        }

        MeterProvider? idle;
        lock (_gate)
        {
            idle = _meters;
            _meters = null;

            // Nothing left to check until the dashboard is opened again (OnRequest starts the check anew).
            _idleCheck?.Dispose();
            _idleCheck = null;
        }

        if (idle is not null)
        {
            idle.Dispose();
            LogCountersStopped(IdleAfter.TotalMinutes);
        }
    }

    /// <summary>
    /// The package's view, with a cardinality limit: its exporter shows one number per instrument (a histogram's
    /// sum), so histograms keep no tags, buckets or extremes (one point), and other instruments keep their tags in
    /// 256 points.
    /// </summary>
    private static MetricStreamConfiguration DashboardView(Instrument instrument) =>
        instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Histogram<>)
            ? new ExplicitBucketHistogramConfiguration { TagKeys = [], Boundaries = [], RecordMinMax = false, CardinalityLimit = 1 }
            : new MetricStreamConfiguration { CardinalityLimit = 256 };

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _idleCheck?.Dispose();
            _meters?.Dispose();
            _meters = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The Orleans dashboard is open: its counters are fed every second")]
    private partial void LogCountersStarted();

    [LoggerMessage(Level = LogLevel.Information, Message = "The Orleans dashboard has not been asked for anything for {Minutes} min: its counters are no longer fed")]
    private partial void LogCountersStopped(double minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Orleans dashboard's silo page will show no versions")]
    private partial void LogVersionNotSet(Exception exception);

    private static string OrleansVersion
    {
        get
        {
            var orleans = typeof(SiloAddress).Assembly;
            return $"{orleans.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion} ({orleans.GetName().Version})";
        }
    }
}

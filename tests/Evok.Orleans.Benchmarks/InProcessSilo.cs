using Evok.Orleans.Grains.Hosting;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.TestSupport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Benchmarks;

/// <summary>A silo with a site in this process (no web host), for scenarios whose bus needs this process's peers.</summary>
internal static class InProcessSilo
{
    public static async Task<IHost> StartAsync(SiteConfiguration site)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: FreeTcpPort.Next(), gatewayPort: FreeTcpPort.Next())
            .AddEvok(site));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}

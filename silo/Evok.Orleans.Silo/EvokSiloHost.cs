using Evok.Orleans.Api;
using Evok.Orleans.Grains.Hosting;
using Evok.Orleans.Hardware.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Orleans.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Silo;

/// <summary>
/// The composition of a controller's silo: Orleans (localhost clustering, one silo per controller), the polling and
/// delivery of <see cref="EvokSiloBuilderExtensions.AddEvok"/>, and the Evok API on <c>apis.address:apis.port</c>.
/// The program and the tests build it the same way.
/// </summary>
public static class EvokSiloHost
{
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;

    public static WebApplication Build(SiteConfiguration site, int siloPort = DefaultSiloPort, int gatewayPort = DefaultGatewayPort)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.Services.AddSystemd();
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

        builder.WebHost.UseUrls(ListenUrl(site.Api));
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort).AddEvok(site);
            if (site.Api.OrleansDashboard)
            {
                silo.AddDashboard(options => options.HideTrace = true);
            }
        });
        builder.Services.AddEvokApi(new EvokApiOptions
        {
            JsonStyle = site.Api.JsonStyle,
            WebSocketEnabled = site.Api.WebSocketEnabled,
            WebSocketAllFiltered = site.Api.WebSocketAllFiltered,
        });
        var app = builder.Build();

        // The device dashboard (dashboards/device) at / and /devices, the Orleans dashboard at /orleans.
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapGet("/devices", () => Results.File(Path.Combine(app.Environment.WebRootPath, "index.html"), "text/html"));
        if (site.Api.OrleansDashboard)
        {
            app.MapOrleansDashboard(routePrefix: "/orleans");
        }

        app.UseEvokApi();
        return app;
    }

    /// <summary>Evok's <c>apis.address</c>: empty means every interface.</summary>
    public static string ListenUrl(ApiConfiguration api) =>
        string.IsNullOrWhiteSpace(api.Address) ? $"http://*:{api.Port}" : $"http://{api.Address}:{api.Port}";
}

using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Api.Http;
using Evok.Orleans.Api.WebSockets;
using Evok.Orleans.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Evok.Orleans.Api;

public static class EvokApiExtensions
{
    /// <summary>Registers the API's services; the WebSocket hub joins the silo's change sinks.</summary>
    public static IServiceCollection AddEvokApi(this IServiceCollection services, EvokApiOptions? options = null) => services
        .AddSingleton(options ??= new EvokApiOptions())
        .AddSingleton(provider => new EvokDevices(provider.GetRequiredService<IGrainFactory>()) { JsonStyle = options.JsonStyle })
        .AddSingleton<WebSocketHub>()
        .AddSingleton<IDeviceChangeSink>(provider => provider.GetRequiredService<WebSocketHub>());

    /// <summary>Maps Evok's REST, JSON, bulk and version endpoints and the WebSocket at <c>/ws</c>.</summary>
    public static WebApplication UseEvokApi(this WebApplication app)
    {
        app.UseWebSockets();
        app.MapEvokHttp();
        if (app.Services.GetRequiredService<EvokApiOptions>().WebSocketEnabled)
        {
            app.Map("/ws", (Microsoft.AspNetCore.Http.HttpContext context, WebSocketHub hub) => hub.AcceptAsync(context));
        }

        return app;
    }
}

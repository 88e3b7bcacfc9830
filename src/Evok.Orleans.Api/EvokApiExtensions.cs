using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Api.Health;
using Evok.Orleans.Api.Http;
using Evok.Orleans.Api.Rpc;
using Evok.Orleans.Api.Security;
using Evok.Orleans.Api.WebSockets;
using Evok.Orleans.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Evok.Orleans.Api;

public static class EvokApiExtensions
{
    private const string ReadyTag = "ready";

    /// <summary>Registers the API's services (token authentication, its two policies, CORS); the WebSocket hub joins the silo's change sinks.</summary>
    public static IServiceCollection AddEvokApi(this IServiceCollection services, EvokApiOptions? options = null)
    {
        options ??= new EvokApiOptions();
        // AddAuthentication would add ASP.NET's data protection too, which made and wrote a key ring at every first start
        // (a warning about storing it unencrypted, and a file in the service's home): tokens are checked against their
        // hashes and nothing is encrypted, so only the core and our one scheme are registered.
        services.AddAuthenticationCore(authentication => authentication.DefaultScheme = ApiAccess.Scheme);
        services.AddWebEncoders();
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiAccess.Scheme, configureOptions: null);
        services.AddAuthorization(authorization =>
        {
            // Without apis.auth every request may do everything, as in Evok (the loader allows that on loopback only).
            void Policy(string name, string role) => authorization.AddPolicy(name, policy =>
            {
                if (options.AuthenticationRequired)
                {
                    policy.RequireRole(role);
                }
                else
                {
                    policy.RequireAssertion(_ => true);
                }
            });

            Policy(ApiAccess.Read, ApiAccess.ReadRole);
            Policy(ApiAccess.Write, ApiAccess.WriteRole);
        });
        if (!options.CorsOrigins.IsEmpty)
        {
            services.AddCors(cors => cors.AddDefaultPolicy(policy =>
                policy.WithOrigins([.. options.CorsOrigins]).AllowAnyHeader().AllowAnyMethod()));
        }

        services.AddHealthChecks().AddCheck<SiteReadinessCheck>("site", tags: [ReadyTag]);
        return services
            .AddSingleton(options)
            .AddSingleton(provider => new EvokDevices(provider.GetRequiredService<IGrainFactory>()) { JsonStyle = options.JsonStyle, Node = options.Node })
            .AddSingleton<WebSocketHub>()
            .AddSingleton<IDeviceChangeSink>(provider => provider.GetRequiredService<WebSocketHub>());
    }

    /// <summary>
    /// Puts the request checks first (Host and Origin, CORS, tokens), then maps Evok's REST, JSON, bulk and version
    /// endpoints, the WebSocket at <c>/ws</c>, <c>POST /auth/dashboard</c> and the health endpoints. Call before serving anything else, so
    /// the checks cover it too.
    /// </summary>
    public static WebApplication UseEvokApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<EvokApiOptions>();

        // WebSockets first: the guard and the token handler must see a handshake as one.
        app.UseWebSockets();
        app.UseMiddleware<BrowserRequestGuard>();
        if (!options.CorsOrigins.IsEmpty)
        {
            app.UseCors();
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.MapEvokHttp();
        app.MapEvokRpc();
        if (options.Node.Length > 0)
        {
            app.MapSiteNodes();
        }
        app.MapPost("/auth/dashboard", OrleansDashboardLogin.SignIn).RequireAuthorization(ApiAccess.Read);

        // Liveness says only that the process answers HTTP (for systemd-like probes, no token); readiness tells more.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthJson.WriteAsync,
        }).RequireAuthorization(ApiAccess.Read);
        if (options.WebSocketEnabled)
        {
            app.Map("/ws", (HttpContext context, WebSocketHub hub) => hub.AcceptAsync(context)).RequireAuthorization(ApiAccess.Read);
            if (options.Node.Length > 0)
            {
                app.Map($"/nodes/{{{RequestDevices.NodeRouteValue}}}/ws", (HttpContext context, WebSocketHub hub) => hub.AcceptAsync(context)).RequireAuthorization(ApiAccess.Read);
            }
        }

        return app;
    }
}

using System.IO.Compression;
using System.Reflection;
using System.Runtime.CompilerServices;
using Evok.Orleans.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Orleans.Dashboard;

namespace Evok.Orleans.Silo;

/// <summary>
/// Serves the Orleans dashboard's page, script, styles, fonts and images straight from the resources of its assembly,
/// read when a browser asks. The package's own asset provider reads all of them at start-up (17 MB, 13 MB of it a
/// source map) and keeps each twice, as read and gzipped: 57 MB of large-object heap and ~1 s of CPU paid on every
/// controller, although most never open the dashboard (issue 16: the dashboard cost 70 MB of RSS, this was nearly
/// all of it). Its JSON endpoints stay the package's own.
/// </summary>
internal static class OrleansDashboardAssets
{
    private const string ResourcePrefix = "Orleans.Dashboard.wwwroot.";
    private static readonly Assembly Dashboard = typeof(DashboardOptions).Assembly;
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    // Resources do not change while the assembly is the same: its version identifies every asset.
    private static readonly string ETag = $"\"{Dashboard.ManifestModule.ModuleVersionId:N}\"";

    /// <summary>
    /// Registers an empty asset provider in place of the package's, so that mapping the dashboard reads nothing. Its
    /// endpoints that would use it are given <see cref="ServeAsync"/> by <see cref="ServeAssetsHere"/>. Should a
    /// later package rename the type, the package's provider is used as it is (the dashboard works, at its old cost).
    /// </summary>
    public static void ReplaceAssetProvider(IServiceCollection services)
    {
        if (Dashboard.GetType("Orleans.Dashboard.EmbeddedAssetProvider") is { } provider)
        {
            services.AddSingleton(provider, RuntimeHelpers.GetUninitializedObject(provider));
        }
    }

    /// <summary>An endpoint convention for the dashboard's route group: its asset routes are answered here.</summary>
    public static void ServeAssetsHere(EndpointBuilder endpoint)
    {
        if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } pattern } route && AssetOf(pattern) is { } asset)
        {
            route.RequestDelegate = context => ServeAsync(context, asset);
        }
    }

    /// <summary>
    /// The resource a route of the dashboard's group names (<c>fonts.*</c>, <c>img.*</c>: a folder the route's path
    /// picks from), or null for its JSON routes.
    /// </summary>
    private static string? AssetOf(string pattern)
    {
        var route = pattern.TrimEnd('/');
        if (route == ApiAccess.OrleansDashboardPath)
        {
            return "index.html";
        }

        var slash = route.LastIndexOf('/');
        return route[(slash + 1)..] switch
        {
            "index.html" or "favicon.ico" or "index.min.js" or "index.css" => route[(slash + 1)..],
            "{**path}" => route[..slash].EndsWith("/fonts", StringComparison.Ordinal) ? "fonts.*"
                : route[..slash].EndsWith("/img", StringComparison.Ordinal) ? "img.*"
                : null,
            _ => null,
        };
    }

    private static async Task ServeAsync(HttpContext context, string asset)
    {
        var request = context.Request;
        var response = context.Response;
        if (asset == "index.html" && request.Path.Value?.EndsWith('/') == false && !request.Path.Value.EndsWith("index.html", StringComparison.Ordinal))
        {
            // The page's links are relative: /orleans must become /orleans/ before they resolve.
            response.Redirect($"{request.PathBase}{request.Path}/{request.QueryString}", permanent: true);
            return;
        }

        var name = asset.EndsWith(".*", StringComparison.Ordinal)
            ? asset[..^1] + ((string?)context.GetRouteValue("path") ?? string.Empty).Replace('/', '.')
            : asset;
        await using var resource = Dashboard.GetManifestResourceStream(ResourcePrefix + name);
        if (resource is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        response.Headers.ETag = ETag;
        response.Headers.CacheControl = "no-cache";
        if (request.Headers.IfNoneMatch == ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
        if (request.GetTypedHeaders().AcceptEncoding.Any(encoding => encoding.Value == "gzip" && encoding.Quality is not 0))
        {
            // Compressed while sent (the script is 3.8 MB, 0.9 MB gzipped): nothing is kept between requests.
            response.Headers.ContentEncoding = "gzip";
            response.Headers.Vary = HeaderNames.AcceptEncoding;
            await using var gzip = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await resource.CopyToAsync(gzip, context.RequestAborted);
            return;
        }

        response.ContentLength = resource.Length;
        await resource.CopyToAsync(response.Body, context.RequestAborted);
    }
}

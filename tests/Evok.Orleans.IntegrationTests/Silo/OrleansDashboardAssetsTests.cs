using System.IO.Compression;
using System.Net;
using System.Reflection;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Silo;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;

namespace Evok.Orleans.IntegrationTests.Silo;

/// <summary>
/// Issue 16: the Orleans dashboard's files (a 3.8 MB script, styles, fonts) are read from its assembly when a browser
/// asks, not all 17 MB at start and kept twice (57 MB); the page, its JSON endpoints and caching still work.
/// </summary>
public sealed class OrleansDashboardAssetsTests
{
    private static readonly Assembly Dashboard = typeof(DashboardOptions).Assembly;

    [Fact]
    public async Task The_dashboards_files_are_served_from_its_assembly_when_asked_gzipped_and_cached_and_nothing_is_read_at_start()
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        var apiPort = FreeTcpPort.Next();
        var configuration = SiteConfigurationLoader.Parse("dashboard.yaml", $$"""
            apis: {port: {{apiPort}}}
            {{SimulatedSite.NeuronConfigYaml(neuron)}}
            """, new HardwareDefinitionCatalog());
        await using var silo = EvokSiloHost.Build(configuration, FreeTcpPort.Next(), FreeTcpPort.Next());
        await silo.StartAsync();

        // The package's provider is there for its endpoints to resolve, but it read no file.
        var provider = silo.Services.GetRequiredService(Dashboard.GetType("Orleans.Dashboard.EmbeddedAssetProvider", throwOnError: true)!);
        Assert.Null(provider.GetType().GetField("_resourceCache", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(provider));

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"),
        };
        using (var bare = await http.GetAsync("orleans"))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, bare.StatusCode);
            Assert.Equal("/orleans/", bare.Headers.Location?.OriginalString);
        }

        Assert.Equal(Resource("index.html"), await http.GetByteArrayAsync("orleans/"));
        using (var script = await http.GetAsync("orleans/index.min.js"))
        {
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Resource("index.min.js"), await script.Content.ReadAsByteArrayAsync());

            // Unchanged since: 304, no body.
            using var again = new HttpRequestMessage(HttpMethod.Get, "orleans/index.min.js");
            again.Headers.IfNoneMatch.Add(script.Headers.ETag!);
            using var notModified = await http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        using (var compressed = new HttpRequestMessage(HttpMethod.Get, "orleans/index.css"))
        {
            compressed.Headers.AcceptEncoding.ParseAdd("gzip");
            using var response = await http.SendAsync(compressed);
            Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
            await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
            using var css = new MemoryStream();
            await gzip.CopyToAsync(css);
            Assert.Equal(Resource("index.css"), css.ToArray());
        }

        using (var font = await http.GetAsync("orleans/fonts/fa-solid-900.woff2"))
        {
            Assert.Equal("font/woff2", font.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Resource("fonts.fa-solid-900.woff2"), await font.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("orleans/fonts/none.woff2")).StatusCode);
        Assert.Contains("\"version\"", await http.GetStringAsync("orleans/version"), StringComparison.Ordinal);
        await silo.StopAsync();
    }

    private static byte[] Resource(string name)
    {
        using var stream = Dashboard.GetManifestResourceStream("Orleans.Dashboard.wwwroot." + name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

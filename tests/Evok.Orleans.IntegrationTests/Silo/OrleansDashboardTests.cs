using System.IO.Compression;
using System.Net;
using System.Reflection;
using System.Text.Json;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace Evok.Orleans.IntegrationTests.Silo;

/// <summary>
/// Issue 16: the Orleans dashboard as shipped costs little while nobody looks. Its files (a 3.8 MB script, styles,
/// fonts) are read from its assembly when a browser asks, not all 17 MB at start and kept twice (57 MB); its start-up
/// service is ours, so that its meter provider does not set aside 2 000 tag combinations for each of Orleans' 95
/// instruments (13.7 MB). The page, its JSON endpoints, counters, versions and caching still work.
/// </summary>
public sealed class OrleansDashboardTests
{
    private static readonly Assembly Dashboard = typeof(DashboardOptions).Assembly;

    [Fact]
    public async Task The_dashboards_files_are_served_from_its_assembly_when_asked_gzipped_and_cached_and_nothing_is_read_at_start()
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        var apiPort = FreeTcpPort.Next();
        await using var silo = await StartSiloAsync(neuron, apiPort);

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

    [Fact]
    public async Task The_dashboards_counters_flow_once_it_is_asked_for_them_and_its_versions_come_from_our_start_up_service_not_the_packages()
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        var apiPort = FreeTcpPort.Next();
        await using var silo = await StartSiloAsync(neuron, apiPort);

        var hosted = silo.Services.GetServices<IHostedService>().ToList();
        var started = hosted.Select(service => service.GetType().FullName).ToList();
        var host = Assert.Single(hosted, service => service.GetType().FullName == "Evok.Orleans.Silo.OrleansDashboardHost");
        bool FeedsCounters() => (bool)host.GetType().GetProperty("FeedsCounters")!.GetValue(host)!;
        Assert.DoesNotContain("Orleans.Dashboard.DashboardHost", started);
        Assert.DoesNotContain(
            "Orleans.Dashboard.DashboardHost",
            silo.Services.GetServices<ILifecycleParticipant<ISiloLifecycle>>().Select(participant => participant.GetType().FullName));

        // Nobody has asked the dashboard for anything yet: Orleans' messages are not measured for it.
        await Task.Delay(500);
        Assert.False(FeedsCounters());

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/orleans/") };
        string? address = null;
        await Eventually.TrueAsync(async () =>
        {
            using var cluster = JsonDocument.Parse(await http.GetStringAsync("DashboardCounters"));
            address = cluster.RootElement.GetProperty("hosts").EnumerateArray().Select(host => host.GetProperty("siloAddress").GetString()).FirstOrDefault();
            return address is not null;
        }, TimeSpan.FromSeconds(10), "the dashboard to list the silo");

        // Orleans' counters reach the page through our provider, which exports every second.
        var counters = new List<string?>();
        await Eventually.TrueAsync(async () =>
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync($"SiloCounters/{address}"));
            counters = [.. page.RootElement.EnumerateArray().Select(counter => counter.GetProperty("name").GetString())];
            return counters.Contains("orleans-catalog-activations");
        }, TimeSpan.FromSeconds(10), "Orleans' counters on the silo page");
        Assert.Contains("orleans-messaging-sent-local", counters);
        Assert.True(FeedsCounters());

        using var properties = JsonDocument.Parse(await http.GetStringAsync($"SiloProperties/{address}"));
        Assert.StartsWith("10.", properties.RootElement.GetProperty("orleansVersion").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(properties.RootElement.GetProperty("hostVersion").GetString()));
    }

    /// <summary>A silo with the Orleans dashboard on (the default), polling a simulated Neuron, its API on the given port.</summary>
    private static async Task<RestartableSilo> StartSiloAsync(ModbusTcpSimulator neuron, int apiPort)
    {
        neuron.Start();
        var silo = new RestartableSilo();
        await silo.StartAsync(SiteConfigurationLoader.Parse("dashboard.yaml", $$"""
            apis: {port: {{apiPort}}}
            {{SimulatedSite.NeuronConfigYaml(neuron)}}
            """, new HardwareDefinitionCatalog()));
        return silo;
    }

    private static byte[] Resource(string name)
    {
        using var stream = Dashboard.GetManifestResourceStream("Orleans.Dashboard.wwwroot." + name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

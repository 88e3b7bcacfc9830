using System.Net;
using System.Text.Json;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Silo;

/// <summary>
/// The Orleans dashboard is the package's own, on its public API (<c>AddDashboard</c>, <c>MapOrleansDashboard</c>):
/// off unless <c>apis.orleans_dashboard: true</c>, since as shipped it keeps its files in memory (issue 37).
/// </summary>
public sealed class OrleansDashboardTests
{
    [Fact]
    public async Task The_orleans_dashboard_is_off_unless_the_config_asks_for_it()
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        var apiPort = FreeTcpPort.Next();
        await using var silo = await StartSiloAsync(neuron, apiPort, dashboardLine: string.Empty);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/") };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("rest/all")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("orleans/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("orleans/version")).StatusCode);
    }

    [Fact]
    public async Task Switched_on_the_orleans_dashboard_serves_its_page_lists_the_silo_with_its_counters_and_versions()
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        var apiPort = FreeTcpPort.Next();
        await using var silo = await StartSiloAsync(neuron, apiPort, dashboardLine: "orleans_dashboard: true");

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/orleans/") };
        Assert.Contains("<html", await http.GetStringAsync(string.Empty), StringComparison.OrdinalIgnoreCase);
        using (var script = await http.GetAsync("index.min.js"))
        {
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
        }

        Assert.Contains("\"version\"", await http.GetStringAsync("version"), StringComparison.Ordinal);
        string? address = null;
        await Eventually.TrueAsync(async () =>
        {
            using var cluster = JsonDocument.Parse(await http.GetStringAsync("DashboardCounters"));
            address = cluster.RootElement.GetProperty("hosts").EnumerateArray().Select(host => host.GetProperty("siloAddress").GetString()).FirstOrDefault();
            return address is not null;
        }, TimeSpan.FromSeconds(10), "the dashboard to list the silo");

        var counters = new List<string?>();
        await Eventually.TrueAsync(async () =>
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync($"SiloCounters/{address}"));
            counters = [.. page.RootElement.EnumerateArray().Select(counter => counter.GetProperty("name").GetString())];
            return counters.Contains("orleans-catalog-activations");
        }, TimeSpan.FromSeconds(10), "Orleans' counters on the silo page");
        Assert.Contains("orleans-messaging-sent-local", counters);

        await Eventually.TrueAsync(async () =>
        {
            using var properties = JsonDocument.Parse(await http.GetStringAsync($"SiloProperties/{address}"));
            return properties.RootElement.GetProperty("orleansVersion").GetString()?.Length > 0;
        }, TimeSpan.FromSeconds(10), "the silo page to show Orleans' version");

        // An address the dashboard cannot parse names nothing: 404, not its exception as a 500.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("SiloProperties/x")).StatusCode);
    }

    /// <summary>A silo polling a simulated Neuron, its API on the given port, with one more line of <c>apis</c>.</summary>
    private static async Task<TestSilo> StartSiloAsync(ModbusTcpSimulator neuron, int apiPort, string dashboardLine)
    {
        neuron.Start();
        var silo = new TestSilo();
        await silo.StartAsync(SiteConfigurationLoader.Parse("dashboard.yaml", $$"""
            apis:
              port: {{apiPort}}
              {{dashboardLine}}
            {{SimulatedSite.NeuronConfigYaml(neuron)}}
            """, new HardwareDefinitionCatalog()));
        return silo;
    }
}

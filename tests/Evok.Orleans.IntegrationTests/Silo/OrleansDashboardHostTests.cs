using System.Text.Json;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Silo;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Evok.Orleans.IntegrationTests.Silo;

/// <summary>
/// Issue 16: the Orleans dashboard's start-up service is ours, so that its meter provider does not set aside 2 000
/// tag combinations for each of Orleans' 95 instruments (13.7 MB); the dashboard's silo page still shows Orleans'
/// counters and the versions.
/// </summary>
public sealed class OrleansDashboardHostTests
{
    [Fact]
    public async Task The_dashboards_counters_and_versions_come_from_our_start_up_service_and_the_packages_is_never_created()
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

        var started = silo.Services.GetServices<IHostedService>().Select(service => service.GetType().FullName).ToList();
        Assert.Contains("Evok.Orleans.Silo.OrleansDashboardHost", started);
        Assert.DoesNotContain("Orleans.Dashboard.DashboardHost", started);
        Assert.DoesNotContain(
            "Orleans.Dashboard.DashboardHost",
            silo.Services.GetServices<ILifecycleParticipant<ISiloLifecycle>>().Select(participant => participant.GetType().FullName));

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

        using var properties = JsonDocument.Parse(await http.GetStringAsync($"SiloProperties/{address}"));
        Assert.StartsWith("10.", properties.RootElement.GetProperty("orleansVersion").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(properties.RootElement.GetProperty("hostVersion").GetString()));
    }
}

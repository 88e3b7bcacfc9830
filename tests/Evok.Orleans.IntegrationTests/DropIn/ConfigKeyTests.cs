using System.Net;
using System.Text.Json;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.DropIn;

/// <summary>Evok's config keys that change behaviour do what they say: no key is parsed and then ignored.</summary>
public sealed class ConfigKeyTests
{
    [Fact]
    public async Task Scan_enabled_false_reads_a_device_once_and_a_disabled_websocket_is_not_served()
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        neuron[2].SetDigitalInput(1, true);
        var apiPort = FreeTcpPort.Next();
        var configuration = SiteConfigurationLoader.Parse("keys.yaml", $$"""
            apis:
              port: {{apiPort}}
              websocket: {enabled: false}
            comm_channels:
              LOCAL_TCP:
                type: MODBUSTCP
                port: {{neuron.Port}}
                devices:
                  "2": {slave-id: 2, model: "13", scan_frequency: 50, scan_enabled: false}
            """, new HardwareDefinitionCatalog());
        await using var silo = await TestSilo.StartAsync(configuration);
        using var http = silo.Client();
        await silo.WaitUntilAnsweringAsync("rest/di/2_01");

        Assert.Equal(1, await ValueAsync(http, "rest/di/2_01"));

        // Not scanned again: the input changing on the board is not seen...
        neuron[2].SetDigitalInput(1, false);
        await Task.Delay(500);
        Assert.Equal(1, await ValueAsync(http, "rest/di/2_01"));

        // ...but a write is still performed and read back.
        var written = await http.PostAsync("rest/relay/2_02", new FormUrlEncodedContent([new("value", "1")]));
        Assert.Contains("\"value\": 1", await written.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(neuron[2].GetCoil(1));

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("ws")).StatusCode);
        await silo.StopAsync();
    }

    [Fact]
    public async Task A_saved_alias_of_a_board_not_read_yet_resolves_and_answers_503_not_404()
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        neuron[2].Offline = true;
        var folder = Directory.CreateTempSubdirectory("evok-alias-").FullName;
        try
        {
            var aliases = Path.Combine(folder, "aliases.yaml");
            await File.WriteAllTextAsync(aliases, "version: \"2.0\"\naliases:\n  pump: {circuit: \"2_04\", devtype: relay}\n");
            var apiPort = FreeTcpPort.Next();
            var configuration = SiteConfigurationLoader.Parse("alias.yaml", $$"""
                apis: {port: {{apiPort}}}
                {{SimulatedSite.NeuronConfigYaml(neuron, scanFrequency: 20)}}
                """, new HardwareDefinitionCatalog()) with { AliasFile = aliases };
            await using var silo = await TestSilo.StartAsync(configuration);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/") };

            var byAlias = await http.GetAsync("rest/ro/pump");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, byAlias.StatusCode);
            Assert.StartsWith("""{"success": false, "errors": {"DeviceNotRead": "ro 'pump' has not been read""", await byAlias.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("rest/ro/nobody")).StatusCode);

            neuron[2].Offline = false;
            await silo.WaitUntilAnsweringAsync("rest/ro/pump");

            Assert.Contains("\"alias\": \"pump\"", await http.GetStringAsync("rest/ro/pump"), StringComparison.Ordinal);
            await silo.StopAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> ValueAsync(HttpClient http, string path) =>
        JsonDocument.Parse(await http.GetStringAsync(path)).RootElement.GetProperty("value").GetInt32();
}

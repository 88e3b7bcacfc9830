using System.Text.Json;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.DropIn;

/// <summary>
/// A controller as Unipi's OS leaves it: <c>config.yaml</c> says <c>autogen: true</c>, the boards are in
/// <c>autogen.yaml</c> as its generator writes them, and Evok 3's definition files lie in <c>hw_definitions/</c>.
/// The silo starts on those files unchanged, serves every board and the 1-Wire bus, and speaks Evok 3's names (which
/// Unipi's own page asks for) with no key added.
/// </summary>
[Trait("Category", TestCategory.Peers)]
public sealed class StockControllerTests : IDisposable
{
    private readonly string _etc = Directory.CreateTempSubdirectory("evok-etc-").FullName;

    public void Dispose() => Directory.Delete(_etc, recursive: true);

    [Fact]
    public async Task A_stock_controllers_autogen_config_and_evok_3_definitions_serve_every_board()
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        await using var owserver = await OwserverProcess.StartAsync("--tester=28");
        CopyEvok3Definitions();
        await File.WriteAllTextAsync(Path.Combine(_etc, "autogen.yaml"), """
            comm_channels:
              LOCAL_TCP:
                type: MODBUSTCP
                hostname: 127.0.0.1
                port: 502
                device_info:
                  family: Neuron
                  model: M203
                devices:
                  1:
                    slave-id: 1
                    model: "00"
                  2:
                    slave-id: 2
                    model: "13"
              OWFS:
                type: OWBUS
                interval: 10
                scan_interval: 60
                owpower: 1
            """);

        // Evok's aliases as the seed era wrote them (unquoted version, which Evok itself then ignores), and a temporary
        // file a crash left behind.
        var evokAliases = Path.Combine(_etc, "evok-alias.yaml");
        await File.WriteAllTextAsync(evokAliases, "aliases:\n  pump: {circuit: '2_04', devtype: ro}\n  hall: {circuit: '1_01', devtype: di}\nversion: 2.0\n");
        await File.WriteAllTextAsync(Path.Combine(_etc, "aliases.yaml.4242.tmp"), "half a file");

        // What an integrator adds on top: the API port, and here the simulator's and owserver's ports.
        var apiPort = FreeTcpPort.Next();
        await File.WriteAllTextAsync(Path.Combine(_etc, "config.yaml"), $$"""
            autogen: true
            apis:
              port: {{apiPort}}
              alias_file: {{evokAliases}}
            comm_channels:
              LOCAL_TCP:
                port: {{neuron.Port}}
              OWFS:
                port: {{owserver.Port}}
            """);

        var site = SiteConfigurationLoader.Load(Path.Combine(_etc, "config.yaml"));
        await using var silo = await TestSilo.StartAsync(site);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/") };

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        JsonElement all;
        do
        {
            await Task.Delay(200);
            all = JsonDocument.Parse(await http.GetStringAsync("rest/all")).RootElement.Clone();
        }
        while (!(Has(all, "ro", "2_04") && Has(all, "temp", "28000028D7000011")) && DateTime.UtcNow < deadline);

        Assert.True(Has(all, "ro", "2_04"), "board 2 (Evok 3's 13.yaml) serves its relays, in Evok 3's names");
        Assert.True(Has(all, "do", "1_01") && Has(all, "di", "1_01"), "board 1's digital outputs and inputs, in Evok 3's names");
        Assert.False(Has(all, "relay", "2_04") || Has(all, "input", "1_01"), "no seed-era names on an Evok 3 controller");
        Assert.True(Has(all, "owpower", "1"), "board 1 (Evok 3's 00.yaml) serves its OWPOWER coil");
        Assert.True(Has(all, "temp", "28000028D7000011"), "the autogen OWBUS bus serves its thermometer");
        Assert.Equal(10, (await Get(http, "rest/owbus/OWFS")).GetProperty("interval").GetInt32());
        Assert.Equal(
            """{"dev": "device_info", "family": "Neuron", "model": "M203", "sn": null, "board_count": 1, "circuit": "M203"}""",
            await http.GetStringAsync("rest/device_info/M203"));

        // Evok's aliases carried over: served, listed by run/alias, saved as ours, and the crash leftover is gone.
        Assert.Equal("2_04", (await Get(http, "rest/ro/pump")).GetProperty("circuit").GetString());
        Assert.Equal("hall", (await Get(http, "rest/di/1_01")).GetProperty("alias").GetString());
        Assert.Equal(
            """{"dev": "run", "circuit": "alias", "save": false, "aliases": {"hall": {"circuit": "1_01", "devtype": "di"}, "pump": {"circuit": "2_04", "devtype": "ro"}}}""",
            await http.GetStringAsync("rest/run/alias"));
        Assert.Contains("pump", await File.ReadAllTextAsync(Path.Combine(_etc, "aliases.yaml")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_etc, "aliases.yaml.4242.tmp")));

        // Evok's JSON-RPC on the 1-Wire bus and its thermometer.
        var thermometer = await Get(http, "rest/temp/28000028D7000011");
        var sensor = await RpcAsync(http, """{"jsonrpc": "2.0", "id": 1, "method": "sensor_get", "params": ["28000028D7000011"]}""");
        Assert.Equal(
            $"[{thermometer.GetProperty("value").GetRawText()},false,{thermometer.GetProperty("time").GetRawText()},{thermometer.GetProperty("interval").GetRawText()}]",
            sensor.GetProperty("result").GetRawText());
        Assert.Equal(thermometer.GetProperty("value").GetDouble(), (await RpcAsync(http, """{"jsonrpc": "2.0", "id": 2, "method": "sensor_get_value", "params": ["28000028D7000011"]}""")).GetProperty("result").GetDouble());
        Assert.Equal(60, (await RpcAsync(http, """{"jsonrpc": "2.0", "id": 3, "method": "owbus_get", "params": ["OWFS"]}""")).GetProperty("result").GetInt32());
        Assert.Equal(
            thermometer.GetProperty("address").GetString(),
            (await RpcAsync(http, """{"jsonrpc": "2.0", "id": 4, "method": "owbus_list", "params": ["OWFS"]}""")).GetProperty("result").GetProperty("DS18B20")[0].GetString());
        Assert.Equal(120, (await RpcAsync(http, """{"jsonrpc": "2.0", "id": 5, "method": "owbus_set", "params": ["OWFS", 120]}""")).GetProperty("result").GetInt32());
        await silo.StopAsync();
    }

    private static bool Has(JsonElement all, string dev, string circuit) =>
        all.EnumerateArray().Any(device => device.GetProperty("dev").GetString() == dev && device.GetProperty("circuit").GetString() == circuit);

    private static async Task<JsonElement> RpcAsync(HttpClient http, string request)
    {
        using var response = await http.PostAsync("rpc", new StringContent(request, System.Text.Encoding.UTF8, "application/json"));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<JsonElement> Get(HttpClient http, string path) =>
        JsonDocument.Parse(await http.GetStringAsync(path)).RootElement.Clone();

    private void CopyEvok3Definitions()
    {
        var definitions = Directory.CreateDirectory(Path.Combine(_etc, "hw_definitions")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "EvokDefinitions", "evok3"), "*.yaml"))
        {
            File.Copy(file, Path.Combine(definitions, Path.GetFileName(file)));
        }
    }
}

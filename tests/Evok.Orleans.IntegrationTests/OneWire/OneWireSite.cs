using System.Globalization;
using System.Text.Json;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.OneWire;

/// <summary>
/// Debian's owserver with a simulated adapter on a free loopback port, a simulated Neuron (board 00, whose OWPOWER
/// coil powers the bus), a silo built as the program builds it with an OWFS bus, and two webhook receivers: one
/// whose mask is <c>sensor</c> (every 1-Wire device and the bus), one whose mask is <c>temp</c> (thermometers only).
/// </summary>
internal sealed class OneWireSite : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("evok-1wire-").FullName;
    private TestSilo? _silo;

    private OneWireSite(int owserverPort, WebhookReceiver sensors, WebhookReceiver thermometers, ModbusTcpSimulator neuron)
    {
        OwserverPort = owserverPort;
        Sensors = sensors;
        Thermometers = thermometers;
        Neuron = neuron;
    }

    public int OwserverPort { get; }

    /// <summary>The owserver serving the bus; null while the test has it stopped.</summary>
    public OwserverProcess? Owserver { get; private set; }

    public WebhookReceiver Sensors { get; }

    public WebhookReceiver Thermometers { get; }

    public ModbusTcpSimulator Neuron { get; }

    public HttpClient Http { get; } = new();

    public int GatewayPort { get; } = FreeTcpPort.Next();

    /// <summary>
    /// Starts the site; <paramref name="adapter"/> null leaves owserver stopped (started later with
    /// <see cref="StartOwserverAsync"/>). <paramref name="devices"/>: the bus's <c>devices:</c> entries, one a line.
    /// </summary>
    public static async Task<OneWireSite> StartAsync(string? adapter, double interval = 0.5, double scanInterval = 300, string? devices = null)
    {
        var listed = devices is null ? string.Empty : "\n    devices:\n" + string.Join('\n', devices.Split('\n').Select(line => "      " + line.Trim()));
        var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        var site = new OneWireSite(FreeTcpPort.Next(), await WebhookReceiver.StartAsync(), await WebhookReceiver.StartAsync(), neuron);
        if (adapter is not null)
        {
            await site.StartOwserverAsync(adapter);
        }

        var apiPort = FreeTcpPort.Next();
        var configuration = SiteConfigurationLoader.Parse("1wire.yaml", $$"""
            apis:
              port: {{apiPort}}
              webhooks:
                - name: sensors
                  address: {{site.Sensors.Address}}
                  device_mask: [sensor, owbus]
                  complex_events: true
                - name: thermometers
                  address: {{site.Thermometers.Address}}
                  device_mask: [temp]
                  complex_events: true
            comm_channels:
              LOCAL_TCP:
                type: MODBUSTCP
                hostname: 127.0.0.1
                port: {{neuron.Port}}
                devices:
                  "1": {slave-id: 1, model: "00", scan_frequency: 20}
              OWFS:
                type: OWBUS
                port: {{site.OwserverPort}}
                interval: {{interval.ToString(CultureInfo.InvariantCulture)}}
                scan_interval: {{scanInterval.ToString(CultureInfo.InvariantCulture)}}
                owpower: 1{{listed}}
            """, new HardwareDefinitionCatalog()) with { AliasFile = Path.Combine(site._folder, "aliases.yaml") };
        site.Http.BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/");
        site._silo = await TestSilo.StartAsync(configuration, gatewayPort: site.GatewayPort);
        return site;
    }

    public async Task StartOwserverAsync(string adapter) => Owserver = await OwserverProcess.StartAsync(adapter, OwserverPort);

    public async Task StopOwserverAsync()
    {
        await Owserver!.DisposeAsync();
        Owserver = null;
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(path));
        return document.RootElement.Clone();
    }

    /// <summary>Asks until <paramref name="done"/> holds for what <paramref name="path"/> answers.</summary>
    public async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var answer = await GetAsync(path);
            if (done(answer))
            {
                return answer;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{path} still answers {answer}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_silo is not null)
        {
            await _silo.StopAsync();
            await _silo.DisposeAsync();
        }

        if (Owserver is not null)
        {
            await Owserver.DisposeAsync();
        }

        await Sensors.DisposeAsync();
        await Thermometers.DisposeAsync();
        await Neuron.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

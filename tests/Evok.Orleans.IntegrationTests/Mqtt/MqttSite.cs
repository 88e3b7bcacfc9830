using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Mqtt;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Evok.Orleans.IntegrationTests.Mqtt;

/// <summary>
/// One MQTT scenario: the simulated Neuron, Debian's mosquitto (optionally with a password file) and a silo built as
/// the program builds it, publishing under <c>evok/test</c>. Each test owns one.
/// </summary>
internal sealed class MqttSite : IAsyncDisposable
{
    public const string Base = "evok/test";

    private readonly TestSilo _silo = new();

    private MqttSite(MosquittoBroker broker, SiteConfiguration configuration)
    {
        Broker = broker;
        Configuration = configuration;
    }

    public ModbusTcpSimulator Simulator { get; } = SimulatedSite.CreateNeuron();

    public MosquittoBroker Broker { get; }

    public SiteConfiguration Configuration { get; private set; }

    public MqttTopics Topics => _silo.Services.GetRequiredService<MqttBridgeOptions>().Topics;

    public static async Task<MqttSite> CreateAsync(
        string? username = null, string? password = null, (string Certificate, string Key)? tls = null, Func<MqttConfiguration, MqttConfiguration>? adjust = null)
    {
        var broker = await MosquittoBroker.StartAsync(username, password, tls);
        var site = new MqttSite(broker, null!);
        site.Simulator.Start();
        var mqtt = new MqttConfiguration("127.0.0.1", broker.Port) { BaseTopic = Base, Username = username, Password = password };
        var configuration = SimulatedSite.NeuronConfiguration(site.Simulator);
        site.Configuration = configuration with
        {
            Api = configuration.Api with { Port = FreeTcpPort.Next(), Mqtt = adjust?.Invoke(mqtt) ?? mqtt },
        };
        return site;
    }

    public Task StartSiloAsync() => _silo.StartAsync(Configuration);

    public Task StopSiloAsync() => _silo.StopAsync();

    /// <summary>Waits until the coil at <paramref name="address"/> of board 2 reads <paramref name="on"/>.</summary>
    public async Task WaitForCoilAsync(int address, bool on)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Simulator[2].GetCoil(address) != on)
        {
            Assert.True(DateTime.UtcNow < deadline, $"coil {address} of board 2 did not become {on}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopSiloAsync();
        await Simulator.DisposeAsync();
        await Broker.DisposeAsync();
    }
}

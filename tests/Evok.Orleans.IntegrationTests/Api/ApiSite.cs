using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Api;

/// <summary>
/// A silo built exactly as the program builds it (API, Orleans, polling), on free ports, against the simulated
/// Neuron, with its alias file and change journal (the default storage) in a temporary folder. It can be restarted to
/// prove what survives a restart.
/// </summary>
public sealed class ApiSite : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("evok-api-").FullName;
    private TestSilo? _silo;

    public ModbusTcpSimulator Simulator { get; } = SimulatedSite.CreateNeuron();

    public int ApiPort { get; } = FreeTcpPort.Next();

    public int GatewayPort { get; } = FreeTcpPort.Next();

    public HttpClient Http { get; } = new();

    public Uri Address => new($"http://127.0.0.1:{ApiPort}/");

    public string AliasFile => Path.Combine(_folder, "aliases.yaml");

    public async Task InitializeAsync()
    {
        Simulator.Start();
        Http.BaseAddress = Address;
        await StartSiloAsync();
    }

    public async Task RestartSiloAsync()
    {
        await _silo!.StopAsync();
        await _silo.DisposeAsync();
        await StartSiloAsync();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_silo is not null)
        {
            await _silo.StopAsync();
            await _silo.DisposeAsync();
        }

        await Simulator.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task StartSiloAsync()
    {
        var site = SimulatedSite.NeuronConfiguration(Simulator) with { AliasFile = AliasFile, Storage = StorageConfiguration.Sqlite.InDirectory(_folder) };
        site = site with { Api = site.Api with { Port = ApiPort } };
        _silo = await TestSilo.StartAsync(site, gatewayPort: GatewayPort);

        // Ready when the first scan of both devices has been published.
        await _silo.WaitUntilAnsweringAsync("rest/ao/2_04", TimeSpan.FromSeconds(30));
        await _silo.WaitUntilAnsweringAsync("rest/ao/1_01", TimeSpan.FromSeconds(30));
    }
}

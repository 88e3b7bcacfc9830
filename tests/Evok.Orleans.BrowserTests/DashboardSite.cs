using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;
using Microsoft.Playwright;

namespace Evok.Orleans.BrowserTests;

/// <summary>
/// The silo as the program builds it (API, dashboards, polling the simulated Neuron) and Debian's Chromium, headless,
/// driven by Playwright. No browser is downloaded: Playwright is pointed at /usr/bin/chromium.
/// </summary>
public class DashboardSite : IAsyncLifetime
{
    private TestSilo? _silo;
    private IPlaywright? _playwright;

    public ModbusTcpSimulator Simulator { get; } = SimulatedSite.CreateNeuron();

    public int ApiPort { get; } = FreeTcpPort.Next();

    public int SiloPort { get; } = FreeTcpPort.Next();

    public int GatewayPort { get; } = FreeTcpPort.Next();

    public string Address => $"http://127.0.0.1:{ApiPort}";

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Simulator.Start();
        await StartSiloAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task StartSiloAsync()
    {
        var site = SimulatedSite.NeuronConfiguration(Simulator);
        // The Orleans dashboard on, as a user who wants it sets it: the device page links to it only then.
        _silo = await TestSilo.StartAsync(Configure(site with { Api = site.Api with { Port = ApiPort, OrleansDashboard = true } }), siloPort: SiloPort, gatewayPort: GatewayPort);
    }

    /// <summary>What a derived site changes in the simulator's configuration.</summary>
    protected virtual SiteConfiguration Configure(SiteConfiguration site) => site;

    public async Task StopSiloAsync()
    {
        await _silo!.StopAsync();
        await _silo.DisposeAsync();
        _silo = null;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_silo is not null)
        {
            await StopSiloAsync();
        }

        await Simulator.DisposeAsync();
    }
}

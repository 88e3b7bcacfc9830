using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Faults;

/// <summary>
/// One fault scenario: the simulated Neuron, a silo built as the program builds it, and a webhook to
/// <see cref="WebhookPort"/> (complex events, the given mask and outbox settings). Each test owns one, so faults
/// do not leak between tests.
/// </summary>
internal sealed class FaultSite : IAsyncDisposable
{
    private readonly TestSilo _silo = new();

    private FaultSite(SiteConfiguration site)
    {
        Configuration = site;
    }

    public ModbusTcpSimulator Simulator { get; } = SimulatedSite.CreateNeuron();

    public int WebhookPort { get; } = FreeTcpPort.Next();

    public SiteConfiguration Configuration { get; set; }

    public HttpClient Api { get; } = new();

    public static FaultSite Create(Func<WebhookConfiguration, WebhookConfiguration>? webhook = null, StorageConfiguration? storage = null, params string[] mask)
    {
        var site = new FaultSite(null!);
        site.Simulator.Start();
        Assert.True(DeviceMask.TryParse(mask.Length == 0 ? ["relay"] : mask, out var deviceMask, out _));
        var hook = new WebhookConfiguration("receiver", new Uri($"http://127.0.0.1:{site.WebhookPort}/hook"), deviceMask, ComplexEvents: true)
        {
            Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            Timeout = TimeSpan.FromSeconds(2),
        };
        var configuration = SimulatedSite.NeuronConfiguration(site.Simulator).WithWebhook(webhook?.Invoke(hook) ?? hook) with
        {
            Storage = storage ?? StorageConfiguration.Memory,
        };
        site.Configuration = configuration with { Api = configuration.Api with { Port = FreeTcpPort.Next() } };
        site.Api.BaseAddress = new Uri($"http://127.0.0.1:{site.Configuration.Api.Port}/");
        return site;
    }

    public Task StartSiloAsync() => _silo.StartAsync(Configuration);

    public Task StopSiloAsync() => _silo.StopAsync();

    /// <summary>
    /// Waits until both devices' first scan has been published (and so queued in every outbox). Counting scans is not
    /// enough: the bus scanner counts a scan when its answer is in, and the first publication of a cold silo can
    /// take several scan periods, so a change made then would be folded into it.
    /// </summary>
    public async Task WaitForFirstScansAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var device in new[] { "1", "2" })
        {
            while ((await Grains.GetGrain<Abstractions.Grains.IModbusDevicePollerGrain>(device).GetStatusAsync()).EventsPublished == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"device {device} was not scanned");
                await Task.Delay(20);
            }
        }
    }

    public IGrainFactory Grains => (IGrainFactory)_silo.Services.GetService(typeof(IGrainFactory))!;

    public async ValueTask DisposeAsync()
    {
        await StopSiloAsync();
        Api.Dispose();
        await Simulator.DisposeAsync();
    }
}

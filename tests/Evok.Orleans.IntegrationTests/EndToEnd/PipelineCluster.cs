using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Grains.Hosting;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;
using Orleans.TestingHost;

namespace Evok.Orleans.IntegrationTests.EndToEnd;

/// <summary>
/// The whole path, really started: the simulated Neuron on a loopback Modbus TCP port, an Orleans test cluster
/// polling it at 50 scans/s, and three real HTTP receivers configured as Evok webhooks.
/// </summary>
public sealed class PipelineCluster : IAsyncLifetime
{
    public ModbusTcpSimulator Simulator { get; } = SimulatedSite.CreateNeuron();

    /// <summary>device_mask ["relay", "ao"], complex events (the seed's configuration).</summary>
    public WebhookReceiver RelaysAndOutputs { get; private set; } = null!;

    /// <summary>device_mask ["relay"], simple events (bodiless GET).</summary>
    public WebhookReceiver RelaysSimple { get; private set; } = null!;

    /// <summary>device_mask ["di"], complex events.</summary>
    public WebhookReceiver Inputs { get; private set; } = null!;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        Simulator.Start();
        RelaysAndOutputs = await WebhookReceiver.StartAsync();
        RelaysSimple = await WebhookReceiver.StartAsync();
        Inputs = await WebhookReceiver.StartAsync();
        var site = SimulatedSite.NeuronConfiguration(Simulator)
            .WithWebhook(Webhook("relays-and-outputs", RelaysAndOutputs, complex: true, "relay", "ao"))
            .WithWebhook(Webhook("relays-simple", RelaysSimple, complex: false, "relay"))
            .WithWebhook(Webhook("inputs", Inputs, complex: true, "di"));

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddEvok(site));
        Cluster = builder.Build();
        await Cluster.DeployAsync();

        // The first scan of each device publishes every circuit once: each receiver gets them in one request per
        // device, or fewer when the outbox joined them.
        foreach (var receiver in new[] { RelaysAndOutputs, RelaysSimple, Inputs })
        {
            await receiver.NextBurstAsync(TimeSpan.FromSeconds(20), quiet: TimeSpan.FromSeconds(1));
        }
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await RelaysAndOutputs.DisposeAsync();
        await RelaysSimple.DisposeAsync();
        await Inputs.DisposeAsync();
        await Simulator.DisposeAsync();
    }

    /// <summary>Drops whatever earlier tests left in the receivers.</summary>
    public async Task DrainAsync()
    {
        await Task.WhenAll(
            RelaysAndOutputs.CollectAsync(TimeSpan.FromMilliseconds(300)),
            RelaysSimple.CollectAsync(TimeSpan.FromMilliseconds(300)),
            Inputs.CollectAsync(TimeSpan.FromMilliseconds(300)));
    }

    private static WebhookConfiguration Webhook(string name, WebhookReceiver receiver, bool complex, params string[] types)
    {
        Assert.True(DeviceMask.TryParse(types, out var mask, out _));
        return new WebhookConfiguration(name, receiver.Address, mask, complex);
    }
}

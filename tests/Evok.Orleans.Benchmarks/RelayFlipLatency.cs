using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Grains.Hosting;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// Flips relay 2_04 on the simulated board at random moments (not aligned with scans) and measures the time from
/// the register change to the webhook request arriving at a real HTTP receiver. One flip at a time, so every
/// delay is that of one change through scan → grain → stream → HTTP.
/// </summary>
internal static class RelayFlipLatency
{
    public static async Task<LatencySummary> RunAsync(int flips, double scanFrequency)
    {
        await using var simulator = SimulatedSite.CreateNeuron();
        simulator.Start();
        await using var receiver = await WebhookReceiver.StartAsync();
        DeviceMask.TryParse(["relay"], out var mask, out _);
        var site = SimulatedSite.NeuronConfiguration(simulator, scanFrequency)
            .WithWebhook(new WebhookConfiguration("benchmark", receiver.Address, mask, ComplexEvents: true));

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: FreeTcpPort.Next(), gatewayPort: FreeTcpPort.Next())
            .AddEvok(site));
        using var host = builder.Build();
        await host.StartAsync();

        await receiver.NextBurstAsync(TimeSpan.FromSeconds(30), quiet: TimeSpan.FromSeconds(1));

        var summary = await ChangeLatency.MeasureAsync(
            $"relay-flip scan_frequency={scanFrequency}", receiver, flips, "2_04", on => simulator[2].SetCoil(3, on), 25, 90);
        await host.StopAsync();
        return summary;
    }
}

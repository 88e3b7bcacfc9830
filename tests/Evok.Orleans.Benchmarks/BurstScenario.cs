using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// A burst: every DI and relay of every board changes at once, again and again, until the wanted number of changes
/// has been made; all go to one complex webhook. Reports changes delivered per second from the first change to the
/// last delivery.
/// </summary>
internal static class BurstScenario
{
    public static async Task<string> RunAsync(int boards, int changes)
    {
        var model = new HardwareDefinitionCatalog().Find("13")!;
        var simulated = Enumerable.Range(1, boards).Select(unit => new SimulatedBoard((byte)unit, model)).ToList();
        await using var simulator = new ModbusTcpSimulator(simulated);
        simulator.Start();
        await using var receiver = await WebhookReceiver.StartAsync();
        var apiPort = FreeTcpPort.Next();
        await using var silo = await SiloProcess.StartAsync(SiteScenario.Config(simulator.Port, boards, receiver.Address, apiPort), apiPort);
        for (var synced = 0; synced < boards; synced++)
        {
            await receiver.NextAsync(TimeSpan.FromSeconds(60));
        }

        const int PerBoard = 4 + 5;
        var sent = 0;
        var delivered = 0;
        var started = Stopwatch.GetTimestamp();
        long last = started;
        for (var round = 0; sent < changes; round++)
        {
            var on = round % 2 == 0;
            foreach (var board in simulated)
            {
                board.SetRegister(0, (ushort)(on ? 0b1111 : 0));
                board.SetRegister(1, (ushort)(on ? 0b11111 : 0));
            }

            sent += boards * PerBoard;

            // Each round waits for its deliveries: changes within one scan period would merge on the board itself.
            var expected = delivered + (boards * PerBoard);
            while (delivered < expected)
            {
                var request = await receiver.NextAsync(TimeSpan.FromSeconds(30));
                delivered += JsonDocument.Parse(request.Body).RootElement.GetArrayLength();
                last = request.ReceivedAt;
            }
        }

        var seconds = Stopwatch.GetElapsedTime(started, last).TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"burst {boards} boards: changes={sent} delivered={delivered} lost={sent - delivered} in {seconds:0.00}s = {delivered / seconds:0} events/s");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// Failover of a network bus (issue 17, items 3 and 8): three controllers of a site on a real redis-server, each
/// polling boards of its own; a Modbus TCP gateway (a simulator of the benchmark's own, whose input flips every
/// 100 ms) that plc2 polls with <c>failover: true</c> and plc3 declares <c>standby_for: plc2</c>. Each round kills plc2
/// (kill -9) and times the first change of the gateway that plc3's webhook delivers, then starts plc2 again and times
/// the first that plc2's delivers once more.
/// </summary>
internal static class FailoverScenario
{
    private static readonly TimeSpan FlipPeriod = TimeSpan.FromMilliseconds(100);

    public static async Task<string> RunAsync(int boards, int rounds)
    {
        await using var redis = await RedisServer.StartAsync();
        var model = new HardwareDefinitionCatalog().Find("13")!;
        await using var gateway = new ModbusTcpSimulator([new SimulatedBoard(1, model)]);
        gateway.Start();
        await using var receiver = await WebhookReceiver.StartAsync();
        var events = new GatewayChanges(receiver);
        var sites = new Dictionary<string, (ModbusTcpSimulator Simulator, SiloProcess Silo)>();
        using var flipping = new CancellationTokenSource();
        var flips = Task.CompletedTask;
        try
        {
            foreach (var node in new[] { "plc1", "plc2", "plc3" })
            {
                sites[node] = await StartAsync(node, boards, redis, gateway, receiver);
            }

            await events.FirstFromAsync("plc2", since: 0, TimeSpan.FromSeconds(60));
            flips = FlipAsync(gateway, flipping.Token);
            var failovers = new List<double>();
            var handbacks = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                // The standby reads the boards it may take over once a second: give it a read of the last state.
                await Task.Delay(TimeSpan.FromSeconds(3));
                var killed = Stopwatch.GetTimestamp();
                await sites["plc2"].Silo.KillAsync();
                failovers.Add(Stopwatch.GetElapsedTime(killed, await events.FirstFromAsync("plc3", killed, TimeSpan.FromSeconds(60))).TotalSeconds);

                var restarted = Stopwatch.GetTimestamp();
                await sites["plc2"].Silo.DisposeAsync();
                await sites["plc2"].Simulator.DisposeAsync();
                sites["plc2"] = await StartAsync("plc2", boards, redis, gateway, receiver);
                handbacks.Add(Stopwatch.GetElapsedTime(restarted, await events.FirstFromAsync("plc2", restarted, TimeSpan.FromSeconds(60))).TotalSeconds);
            }

            failovers.Sort();
            return string.Create(CultureInfo.InvariantCulture,
                $"(failover) {boards} boards per controller, gateway input flipping every {FlipPeriod.TotalMilliseconds:0} ms: kill -9 of plc2 → first change " +
                $"delivered by plc3 min={failovers[0]:0.00}s median={failovers[failovers.Count / 2]:0.00}s max={failovers[^1]:0.00}s ({rounds} rounds); " +
                $"plc2 started again → its own first change of the gateway median={handbacks.Order().ElementAt(handbacks.Count / 2):0.00}s (its start-up included)");
        }
        finally
        {
            await flipping.CancelAsync();
            await flips;
            foreach (var (simulator, silo) in sites.Values)
            {
                await silo.DisposeAsync();
                await simulator.DisposeAsync();
            }
        }
    }

    private static async Task<(ModbusTcpSimulator Simulator, SiloProcess Silo)> StartAsync(
        string node, int boards, RedisServer redis, ModbusTcpSimulator gateway, WebhookReceiver receiver)
    {
        var model = new HardwareDefinitionCatalog().Find("13")!;
        var simulator = new ModbusTcpSimulator(Enumerable.Range(1, boards).Select(unit => new SimulatedBoard((byte)unit, model)));
        simulator.Start();
        var role = node switch { "plc2" => "failover: true", "plc3" => "standby_for: plc2", _ => null };
        var settings = SiloSettings.AsShipped with
        {
            ConfigChannels = role is null ? string.Empty : GatewayChannel.Yaml(gateway.Port, role, device: "gw", slaveId: 1),
            ConfigSections = ClusterSection.Yaml("failover", node, redis.ConnectionString),
        };
        var silo = await SiloProcess.StartAsync(apiPort => SiteScenario.Config(simulator.Port, boards, new Uri(receiver.Address, node), apiPort, settings));
        return (simulator, silo);
    }

    private static async Task FlipAsync(ModbusTcpSimulator gateway, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(FlipPeriod);
        var on = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                on = !on;
                gateway[1].SetDigitalInput(1, on);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>When each controller's webhook delivered a change of the gateway's input (<c>gw_01</c>), by its path.</summary>
    private sealed class GatewayChanges(WebhookReceiver receiver)
    {
        private readonly List<(string Via, long ReceivedAt)> _seen = [];

        /// <summary>The arrival of the first change of <c>gw_01</c> from <paramref name="via"/> received after <paramref name="since"/>.</summary>
        public async Task<long> FirstFromAsync(string via, long since, TimeSpan timeout)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                if (_seen.FirstOrDefault(seen => seen.Via == via && seen.ReceivedAt > since) is { Via: not null } found)
                {
                    return found.ReceivedAt;
                }

                var request = await receiver.NextAsync(timeout - deadline.Elapsed);
                using var body = JsonDocument.Parse(request.Body);
                if (body.RootElement.EnumerateArray().Any(device => device.GetProperty("circuit").GetString() == "gw_01"))
                {
                    _seen.Add((request.PathAndQuery.Trim('/'), request.ReceivedAt));
                }
            }
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;
using Xunit.Abstractions;

namespace Evok.Orleans.IntegrationTests.Cluster;

/// <summary>
/// A Modbus TCP gateway that plc2 polls (<c>failover: true</c>) and plc3 may poll (<c>standby_for: plc2</c>), in a
/// site of three silo processes on a real redis-server: plc2 loses power, plc3 takes the gateway over, plc2 comes back
/// and takes it back. The gateway is a simulator of the test's own, so it outlives every controller.
/// </summary>
[Trait("Category", TestCategory.Cluster)]
public sealed class BusFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan FlipGap = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task A_failover_bus_is_taken_over_by_its_standby_when_its_controller_dies_and_handed_back_when_it_returns_no_change_lost_or_invented()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var gateway = SimulatedSite.CreateNeuron();
        gateway.Start();
        await using var plc1 = Controller("plc1", redis, receiver, gateway, role: null);
        await using var plc2 = Controller("plc2", redis, receiver, gateway, role: "failover: true");
        await using var plc3 = Controller("plc3", redis, receiver, gateway, role: "standby_for: plc2");
        using var events = new GatewayEvents(receiver);
        SiteController[] controllers = [plc1, plc2, plc3];
        foreach (var controller in controllers)
        {
            controller.Start();
        }

        await Task.WhenAll(controllers.Select(controller => controller.WaitUntilServingAsync(TimeSpan.FromSeconds(90))));
        Assert.Equal(0, await ValueThroughAsync(plc1, "plc2"));

        // plc2 polls the gateway: every flip comes from its webhook. The standby has read the boards meanwhile.
        var flips = new List<int> { 0 };
        await FlipAsync(gateway, flips, 3);
        await events.WaitForAsync(flips.Count - 1, "plc2", TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(2));

        // Power lost; the input changes while nobody polls it.
        var killed = Stopwatch.GetTimestamp();
        plc2.Kill();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await FlipAsync(gateway, flips, 1);
        await events.WaitForAsync(flips.Count - 1, "plc3", TimeSpan.FromSeconds(40));
        var failover = Stopwatch.GetElapsedTime(killed, events.Snapshot().First(e => e.Via == "plc3").ReceivedAt);
        output.WriteLine($"kill -9 of plc2 → first change of its gateway delivered by plc3: {failover.TotalSeconds:0.00} s");

        // The whole site reads the gateway through plc3 now; plc2's own boards are unavailable.
        Assert.Equal(flips[^1], await ValueThroughAsync(plc1, "plc2"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await plc1.Http.GetAsync("nodes/plc2/rest/relay/2_01")).StatusCode);
        await FlipAsync(gateway, flips, 3);
        await events.WaitForAsync(flips.Count - 1, "plc3", TimeSpan.FromSeconds(20));

        // Power back: plc2 polls its gateway again and plc3 stops.
        plc2.Start();
        await plc2.WaitUntilServingAsync(TimeSpan.FromSeconds(90));
        await Eventually.TrueAsync(() => Task.FromResult(plc3.Output.Contains("No longer standing in for node plc2", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), $"plc3 did not hand the gateway back:\n{plc3.Output}");
        var handedBack = events.Count;
        await FlipAsync(gateway, flips, 2);
        await events.WaitForAsync(flips.Count - 1, "plc2", TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(1));

        var received = events.Snapshot();
        output.WriteLine(string.Join('\n', received.Select(e => $"{e.Circuit} = {e.Value} via {e.Via}{(e.Node is null ? string.Empty : $" (node {e.Node})")}")));

        // Every flip arrived, in order; plc3 sent only the gateway's flips (nothing it merely found unchanged), named as plc2's.
        var input = received.Where(e => e.Circuit == "9_01").ToList();
        Assert.Equal(flips, Collapse(input.Select(e => e.Value)));
        var fromStandby = received.Where(e => e.Via == "plc3").ToList();
        Assert.All(fromStandby, e => Assert.Equal("plc2", e.Node));
        Assert.Equal(flips[4..8], fromStandby.Select(e => e.Value));
        Assert.All(fromStandby, e => Assert.Equal("9_01", e.Circuit));

        // Only plc2's restart re-sent a state it had sent before (a starting controller publishes its initial state).
        var repeats = input.Zip(input.Skip(1)).Count(pair => pair.First.Value == pair.Second.Value);
        Assert.True(repeats <= 1, $"{repeats} repeated values of 9_01");
        Assert.DoesNotContain(received.Skip(handedBack), e => e.Via == "plc3");
    }

    private static SiteController Controller(string node, RedisServer redis, WebhookReceiver receiver, ModbusTcpSimulator gateway, string? role) => new(
        "failover",
        node,
        redis.ConnectionString,
        apis: $"""
              webhooks:
                - name: receiver
                  address: {receiver.Address}{node}
                  device_mask: [input]
                  complex_events: true
            """,
        channels: role is null ? string.Empty : GatewayChannel.Yaml(gateway.Port, role, device: "9", slaveId: 2));

    private static async Task<int> ValueThroughAsync(SiteController via, string node)
    {
        using var input = JsonDocument.Parse(await via.Http.GetStringAsync($"nodes/{node}/rest/input/9_01"));
        return input.RootElement.GetProperty("value").GetInt32();
    }

    private static async Task FlipAsync(ModbusTcpSimulator gateway, List<int> flips, int count)
    {
        for (var flip = 0; flip < count; flip++)
        {
            var on = flips[^1] == 0;
            gateway[2].SetDigitalInput(1, on);
            flips.Add(on ? 1 : 0);
            await Task.Delay(FlipGap);
        }
    }

    private static List<int> Collapse(IEnumerable<int> values)
    {
        var collapsed = new List<int>();
        foreach (var value in values)
        {
            if (collapsed.Count == 0 || collapsed[^1] != value)
            {
                collapsed.Add(value);
            }
        }

        return collapsed;
    }

    /// <summary>One device of a webhook request: which controller sent it (its webhook path) and what it said.</summary>
    private sealed record GatewayEvent(string Via, string Circuit, int Value, string? Node, long ReceivedAt);

    /// <summary>The gateway device's changes as the receiver gets them, from every controller, in arrival order.</summary>
    private sealed class GatewayEvents : IDisposable
    {
        private readonly List<GatewayEvent> _events = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _reading;

        public GatewayEvents(WebhookReceiver receiver) => _reading = ReadAsync(receiver);

        public int Count
        {
            get
            {
                lock (_events)
                {
                    return _events.Count;
                }
            }
        }

        public IReadOnlyList<GatewayEvent> Snapshot()
        {
            lock (_events)
            {
                return [.. _events];
            }
        }

        /// <summary>Waits until the <paramref name="flip"/>-th change of 9_01 (0 = its initial state) has arrived, the last from <paramref name="via"/>.</summary>
        public async Task WaitForAsync(int flip, string via, TimeSpan timeout)
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < timeout)
            {
                var changes = Snapshot().Where(e => e.Circuit == "9_01").ToList();
                var values = Collapse(changes.Select(e => e.Value));
                if (values.Count > flip && changes[^1].Via == via)
                {
                    return;
                }

                await Task.Delay(50);
            }

            throw new TimeoutException($"change {flip} of 9_01 did not arrive from {via} within {timeout.TotalSeconds} s: " +
                string.Join(", ", Snapshot().Select(e => $"{e.Circuit}={e.Value}@{e.Via}")));
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }

        private async Task ReadAsync(WebhookReceiver receiver)
        {
            while (!_stop.IsCancellationRequested)
            {
                ReceivedRequest request;
                try
                {
                    request = await receiver.NextAsync(TimeSpan.FromSeconds(1));
                }
                catch (TimeoutException)
                {
                    continue;
                }

                using var body = JsonDocument.Parse(request.Body);
                var via = request.PathAndQuery.Trim('/');
                lock (_events)
                {
                    foreach (var device in body.RootElement.EnumerateArray())
                    {
                        var circuit = device.GetProperty("circuit").GetString()!;
                        if (circuit.StartsWith("9_", StringComparison.Ordinal))
                        {
                            var node = device.TryGetProperty("node", out var named) ? named.GetString() : null;
                            _events.Add(new GatewayEvent(via, circuit, device.GetProperty("value").GetInt32(), node, request.ReceivedAt));
                        }
                    }
                }
            }
        }
    }
}

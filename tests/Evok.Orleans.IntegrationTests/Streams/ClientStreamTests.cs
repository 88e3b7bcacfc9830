using System.Threading.Channels;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Client;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;
using Orleans.Streams;

namespace Evok.Orleans.IntegrationTests.Streams;

/// <summary>
/// The change feed as Orleans streams (<c>apis.orleans_stream</c>): a client app subscribes with Orleans' own
/// <see cref="IAsyncStream{T}"/> API to a controller's or one device's changes, published by the silo from the
/// simulator's inputs.
/// </summary>
public sealed class ClientStreamTests
{
    [Fact]
    public async Task A_client_subscribed_to_the_controllers_and_to_one_devices_stream_gets_every_change_in_order()
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        var gatewayPort = FreeTcpPort.Next();
        await using var silo = await StartSiloAsync(neuron, orleansStream: true, gatewayPort);
        await using var client = await EvokClient.ConnectAsync(gatewayPort);

        // Subscribe once the boards' first scans (every circuit's initial state) are published and the stream's
        // queue has been read past them (every 50 ms): the values below are the toggles' alone.
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await client.Devices.GetAsync("input", "2_04");
                await client.Devices.GetAsync("relay", "1_01");
                return true;
            }
            catch (DeviceNotReadException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "the boards' first scans");
        await Task.Delay(300);

        var everything = Channel.CreateUnbounded<DeviceChangeBatch>();
        var board2 = Channel.CreateUnbounded<DeviceChangeBatch>();
        var all = await client.ChangeStream().SubscribeAsync((batch, _) => everything.Writer.WriteAsync(batch).AsTask());
        var one = await client.ChangeStream(device: "2").SubscribeAsync((batch, _) => board2.Writer.WriteAsync(batch).AsTask());

        // Five changes of one input, each after the previous was scanned, and one of the other board's relay.
        for (var i = 1; i <= 5; i++)
        {
            neuron[2].SetDigitalInput(4, i % 2 == 1);
            await Task.Delay(150);
        }

        neuron[1].SetCoil(0, !neuron[1].GetCoil(0));

        var inputValues = new List<int>();
        var numbers = new List<long>();
        var sawBoard1Relay = false;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (inputValues.Count < 5 || !sawBoard1Relay)
        {
            var batch = await everything.Reader.ReadAsync(deadline.Token);
            Assert.Equal(string.Empty, batch.Node);
            foreach (var change in batch.Changes)
            {
                if (change.Key == "input:2_04")
                {
                    inputValues.Add(Assert.IsType<DigitalInputState>(change.State).Value);
                    numbers.Add(change.Seq);
                }

                sawBoard1Relay |= change.Key == "relay:1_01";
            }
        }

        Assert.Equal([1, 0, 1, 0, 1], inputValues);

        // Each with its journal number, as the journal ordered them.
        Assert.All(numbers, seq => Assert.True(seq > 0));
        Assert.Equal(numbers.Order(), numbers);
        Assert.Equal(numbers.Distinct().Count(), numbers.Count);

        // The device's stream carried the same input changes and nothing of board 1.
        var deviceValues = new List<int>();
        while (deviceValues.Count < 5)
        {
            var batch = await board2.Reader.ReadAsync(deadline.Token);
            Assert.Equal("2", batch.Device);
            deviceValues.AddRange(batch.Changes.Where(change => change.Key == "input:2_04").Select(change => ((DigitalInputState)change.State).Value));
        }

        Assert.Equal([1, 0, 1, 0, 1], deviceValues);
        await Task.Delay(300);
        while (board2.Reader.TryRead(out var late))
        {
            Assert.Equal("2", late.Device);
        }

        // Unsubscribed: nothing arrives any more.
        await all.UnsubscribeAsync();
        await one.UnsubscribeAsync();
        await Task.Delay(300);
        while (everything.Reader.TryRead(out _))
        {
        }

        neuron[2].SetDigitalInput(4, false);
        await Task.Delay(500);
        Assert.False(everything.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Subscribing_to_a_controller_without_orleans_stream_fails_instead_of_waiting_for_nothing()
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        var gatewayPort = FreeTcpPort.Next();
        await using var silo = await StartSiloAsync(neuron, orleansStream: false, gatewayPort);
        await using var client = await EvokClient.ConnectAsync(gatewayPort);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.ChangeStream().SubscribeAsync((_, _) => Task.CompletedTask));
        // What docs/troubleshooting.md quotes.
        Assert.Contains("PubSubRendezvousGrain", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<TestSilo> StartSiloAsync(ModbusTcpSimulator neuron, bool orleansStream, int gatewayPort)
    {
        var configuration = SimulatedSite.NeuronConfiguration(neuron);
        configuration = configuration with
        {
            Api = configuration.Api with { Port = FreeTcpPort.Next(), OrleansStream = orleansStream },
        };
        return await TestSilo.StartAsync(configuration, gatewayPort: gatewayPort);
    }
}

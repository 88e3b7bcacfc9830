using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Durability;

/// <summary>
/// The default configuration (no <c>storage</c> section: the journal in SQLite next to config.yaml, no Redis) through
/// a <c>kill -9</c> of the silo program while its receiver (a webhook, an MQTT broker) is down.
/// </summary>
[Trait("Category", TestCategory.Peers)]
public sealed class KillTests : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("evok-kill-").FullName;
    private readonly ModbusTcpSimulator _simulator = SimulatedSite.CreateNeuron();
    private readonly int _apiPort = FreeTcpPort.Next();
    private readonly ProcessOutput _output = new();

    [Fact]
    public async Task Changes_waiting_for_a_receiver_that_answers_500_survive_kill_9_and_go_out_in_order_under_their_original_id()
    {
        _simulator.Start();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.StatusCode = () => 500;
        var config = Path.Combine(_folder, "config.yaml");
        await File.WriteAllTextAsync(config, $"""
            {SimulatedSite.NeuronConfigYaml(_simulator)}
            apis:
              port: {_apiPort}
              webhooks:
                - name: scada
                  address: {receiver.Address}
                  device_mask: ["relay"]
                  complex_events: true
            """);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}/"), Timeout = TimeSpan.FromSeconds(30) };

        var silo = Start(config);
        ReceivedRequest refused;
        try
        {
            await SiloProgramApi.WaitUntilServingAsync(http);
            refused = await receiver.NextAsync(TimeSpan.FromSeconds(30));
            foreach (var (circuit, value) in new[] { ("2_01", 1), ("2_02", 1), ("2_01", 0) })
            {
                await SiloProgramApi.SetRelayAsync(http, circuit, value);
            }

            // Past the commit interval (1 s): the changes and the outbox's place are on disk.
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            silo.Kill();
            await silo.WaitForExitAsync();
        }
        finally
        {
            silo.Kill();
            silo.Dispose();
        }

        receiver.StatusCode = () => 200;
        using var again = Start(config);
        try
        {
            await SiloProgramApi.WaitUntilServingAsync(http);
            var delivered = new List<ReceivedRequest>();
            await Eventually.TrueAsync(async () =>
            {
                delivered.AddRange(await receiver.CollectAsync(TimeSpan.FromMilliseconds(500)));
                return Relays(delivered.Where(request => request.Status == 200)).Contains(("2_01", 0));
            }, TimeSpan.FromSeconds(60), "the relays' changes delivered after the restart");

            var accepted = delivered.Where(request => request.Status == 200).ToList();
            Assert.Equal(refused.Headers["webhook-id"], accepted[0].Headers["webhook-id"]);
            Assert.Equal(refused.Body, accepted[0].Body);
            var relays = Relays(accepted);
            var on1 = relays.IndexOf(("2_01", 1));
            var on2 = relays.IndexOf(("2_02", 1));
            var off1 = relays.IndexOf(("2_01", 0), Math.Max(on1, 0));
            Assert.True(on1 >= 0 && on1 < on2 && on2 < off1, $"in order: {string.Join(", ", relays)}\n{Output}");
            var numbers = accepted.Select(request => long.Parse(request.Headers["evok-seq"], CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(numbers.Order(), numbers);
        }
        finally
        {
            ExternalProcess.Terminate(again);
            await again.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Changes_made_while_the_broker_is_down_survive_kill_9_and_reach_the_changes_topic_in_order_when_both_are_back()
    {
        _simulator.Start();
        await using var broker = await MosquittoBroker.StartAsync();
        var config = Path.Combine(_folder, "config.yaml");
        await File.WriteAllTextAsync(config, $"""
            {SimulatedSite.NeuronConfigYaml(_simulator)}
            apis:
              port: {_apiPort}
              mqtt:
                enabled: true
                port: {broker.Port}
                base_topic: evok/kill
                device_mask: ["relay"]
                changes: true
                discovery:
                  enabled: false
            """);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}/"), Timeout = TimeSpan.FromSeconds(30) };

        var silo = Start(config);
        try
        {
            await using var before = await MqttSubscriber.StartAsync(broker, "evok/kill/changes");
            await SiloProgramApi.WaitUntilServingAsync(http);
            await SiloProgramApi.SetRelayAsync(http, "2_01", 1);
            await before.WaitForAsync(message => message.Payload.Contains("\"circuit\": \"2_01\", \"value\": 1", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "relay 2_01 on");

            // The broker goes away; three changes wait in the journal; past the commit interval the silo is killed.
            await broker.KillAsync();
            foreach (var (circuit, value) in new[] { ("2_02", 1), ("2_01", 0), ("2_02", 0) })
            {
                await SiloProgramApi.SetRelayAsync(http, circuit, value);
            }

            await Task.Delay(TimeSpan.FromSeconds(2.5));
            silo.Kill();
            await silo.WaitForExitAsync();
        }
        finally
        {
            silo.Kill();
            silo.Dispose();
        }

        // Both back: a broker without persistence (it kept nothing), a subscriber on it, then the silo.
        await broker.StartAsync();
        await using var after = await MqttSubscriber.StartAsync(broker, "evok/kill/changes");
        using var again = Start(config);
        try
        {
            await after.WaitForAsync(message => message.Payload.Contains("\"circuit\": \"2_02\", \"value\": 0", StringComparison.Ordinal), TimeSpan.FromSeconds(60), $"relay 2_02 off\n{Output}");

            // At least once, in order: drop the numbers seen already (the place may be up to one commit behind).
            var changes = after.Received.Select(message => JsonDocument.Parse(message.Payload).RootElement)
                .Select(device => (Seq: device.GetProperty("seq").GetInt64(), Circuit: device.GetProperty("circuit").GetString()!, Value: device.GetProperty("value").GetInt32()))
                .DistinctBy(change => change.Seq).ToList();
            Assert.Equal(changes.Select(change => change.Seq).Order(), changes.Select(change => change.Seq));
            var relays = changes.Select(change => (change.Circuit, change.Value)).ToList();
            var on2 = relays.IndexOf(("2_02", 1));
            var off1 = relays.IndexOf(("2_01", 0), Math.Max(on2, 0));
            var off2 = relays.IndexOf(("2_02", 0), Math.Max(off1, 0));
            Assert.True(on2 >= 0 && on2 < off1 && off1 < off2, $"in order: {string.Join(", ", relays)}\n{Output}");
        }
        finally
        {
            ExternalProcess.Terminate(again);
            await again.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _simulator.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string Output => _output.ToString();

    private Process Start(string config)
    {
        var process = BuiltProgram.Silo.Start("--config", config);
        _output.Follow(process);
        return process;
    }

    /// <summary>Every relay state the requests carried, in the order they carried them.</summary>
    private static List<(string Circuit, int Value)> Relays(IEnumerable<ReceivedRequest> requests) =>
        [.. requests.SelectMany(request => JsonDocument.Parse(request.Body).RootElement.EnumerateArray()
            .Where(device => device.GetProperty("dev").GetString() == "relay")
            .Select(device => (device.GetProperty("circuit").GetString()!, device.GetProperty("value").GetInt32())))];
}

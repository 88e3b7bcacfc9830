using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// An MQTT client of the benchmark's own, subscribed to the silo's state topics: it times each expected change from
/// the simulator write to the message's arrival, as the webhook receiver does for webhooks.
/// </summary>
internal sealed class MqttObserver : IChangeObserver
{
    public const string BaseTopic = "evok/bench";

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ExpectedChanges _changes = new();

    private MqttObserver()
    {
        _client.ApplicationMessageReceivedAsync += received =>
        {
            var arrived = Stopwatch.GetTimestamp();
            var levels = received.ApplicationMessage.Topic[(BaseTopic.Length + 1)..].Split('/');
            if (levels.Length == 2)
            {
                using var json = JsonDocument.Parse(Encoding.UTF8.GetString(received.ApplicationMessage.Payload));
                _changes.Arrived($"{levels[0]}:{levels[1]}", json.RootElement.GetProperty("value").GetRawText(), arrived);
            }

            return Task.CompletedTask;
        };
    }

    public bool IsIdle => _changes.IsIdle;

    public bool Pending(string key) => _changes.Pending(key);

    public static async Task<MqttObserver> StartAsync(int port)
    {
        var observer = new MqttObserver();
        await observer._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("evok-benchmark").Build());
        await observer._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"{BaseTopic}/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return observer;
    }

    public void Expect(string key, string value, bool measured) => _changes.Expect(key, value, measured);

    public LatencySummary Summary(string scenario) => _changes.Summary($"{scenario} MQTT");

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync(new MqttClientDisconnectOptions());
        _client.Dispose();
    }
}

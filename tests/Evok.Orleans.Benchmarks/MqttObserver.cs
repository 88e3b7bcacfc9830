using System.Collections.Concurrent;
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
internal sealed class MqttObserver : IAsyncDisposable
{
    public const string BaseTopic = "evok/bench";

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentDictionary<string, (long Started, string Expected, bool Measured)> _pending = new();
    private readonly ConcurrentBag<double> _latencies = [];
    private int _expected;

    private MqttObserver()
    {
        _client.ApplicationMessageReceivedAsync += received =>
        {
            var arrived = Stopwatch.GetTimestamp();
            var topic = received.ApplicationMessage.Topic;
            var levels = topic[(BaseTopic.Length + 1)..].Split('/');
            if (levels.Length == 2 && _pending.TryGetValue($"{levels[0]}:{levels[1]}", out var change))
            {
                using var json = JsonDocument.Parse(Encoding.UTF8.GetString(received.ApplicationMessage.Payload));
                if (json.RootElement.GetProperty("value").GetRawText() == change.Expected && _pending.TryRemove($"{levels[0]}:{levels[1]}", out _) && change.Measured)
                {
                    _latencies.Add(Stopwatch.GetElapsedTime(change.Started, arrived).TotalMilliseconds);
                }
            }

            return Task.CompletedTask;
        };
    }

    public bool IsIdle => _pending.IsEmpty;

    public bool Pending(string key) => _pending.ContainsKey(key);

    public static async Task<MqttObserver> StartAsync(int port)
    {
        var observer = new MqttObserver();
        await observer._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("evok-benchmark").Build());
        await observer._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"{BaseTopic}/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return observer;
    }

    /// <summary>A change the driver is about to make (key <c>dev:circuit</c>, its value as the JSON will show it).</summary>
    public void Expect(string key, string value, bool measured)
    {
        _pending[key] = (Stopwatch.GetTimestamp(), value, measured);
        if (measured)
        {
            Interlocked.Increment(ref _expected);
        }
    }

    public LatencySummary Summary(string scenario) => new($"{scenario} MQTT", _expected, _latencies.Count, 0, [.. _latencies]);

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync(new MqttClientDisconnectOptions());
        _client.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace Evok.Orleans.TestSupport;

/// <summary>
/// Debian's mosquitto_sub as an independent MQTT client: every message on <c>filter</c> with its retain flag, in the
/// order the broker delivered them.
/// </summary>
public sealed class MqttSubscriber : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<MqttReceived> _received = new();
    private readonly ConcurrentQueue<string> _debug = new();
    private readonly Task _reader;

    private MqttSubscriber(Process process)
    {
        _process = process;
        _reader = Task.Run(ReadAsync);
    }

    public IReadOnlyCollection<MqttReceived> Received => _received;

    /// <summary>Subscribes (QoS 1) and returns once mosquitto_sub is connected (its subscription is acknowledged).</summary>
    public static async Task<MqttSubscriber> StartAsync(MosquittoBroker broker, params string[] filters)
    {
        // -F: retain flag, topic, payload, tab-separated, one line per message (our payloads have no newline or tab).
        string[] arguments = [.. broker.ClientArguments(), "-q", "1", "-d", "-F", "%r\t%t\t%p", .. filters.SelectMany(filter => new[] { "-t", filter })];
        // stdbuf: line-buffered output through the pipe, so each message (and the SUBACK) is seen when it arrives.
        var subscriber = new MqttSubscriber(ExternalProcess.Start("stdbuf", ["-oL", "mosquitto_sub", .. arguments]));
        await subscriber.WaitForDebugAsync("SUBACK");
        return subscriber;
    }

    private async Task WaitForDebugAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!_debug.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new TimeoutException($"mosquitto_sub did not subscribe: {string.Join(" | ", _debug)}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The first message (already received or still to come) that <paramref name="match"/> accepts.</summary>
    public async Task<MqttReceived> WaitForAsync(Func<MqttReceived, bool> match, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (_received.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no MQTT message {what} arrived; got: {string.Join(" | ", _received.TakeLast(20).Select(message => $"{message.Topic} {message.Payload}"))}");
            }

            await Task.Delay(20);
        }
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            // -d prints the protocol chatter ("Client ... received PUBLISH ...") on the same output.
            if (line.StartsWith("Client ", StringComparison.Ordinal))
            {
                _debug.Enqueue(line);
                continue;
            }

            var parts = line.Split('\t', 3);
            if (parts.Length == 3)
            {
                _received.Enqueue(new MqttReceived(parts[1], parts[2], parts[0] == "1"));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        await _reader;
        _process.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// Scenarios of the performance issue: the silo in its own process polls N simulated model-13 boards at
/// scan_frequency 50; the driver changes circuits at random moments (never one whose last change is still on its
/// way, so every change is observable); t0 is taken at the simulator and t1 when the webhook request arrives.
/// </summary>
internal static class SiteScenario
{
    public static async Task<ScenarioResult> RunAsync(ScenarioOptions options)
    {
        var settings = options.Silo ?? SiloSettings.AsShipped;
        if (options.MqttBrokerPort is { } broker)
        {
            settings = settings.WithApiKey("mqtt", $"{{enabled: true, port: {broker}, base_topic: {MqttObserver.BaseTopic}}}");
        }

        if (options.ClientFeed == ClientFeed.Stream)
        {
            settings = settings.WithApiKey("orleans_stream", "true");
        }

        await using var site = await BenchmarkSite.StartAsync(options.Boards, settings);
        await using IChangeObserver? observer = options switch
        {
            { MqttBrokerPort: { } port } => await MqttObserver.StartAsync(port),
            { ClientFeed: { } feed } => await OrleansClientObserver.StartAsync(site.Silo.GatewayPort, feed),
            _ => null,
        };
        var (boards, receiver, silo) = (site.Boards, site.Receiver, site.Silo);
        var targets = Targets(boards, options.CircuitsPerBoard);
        var pending = new ConcurrentDictionary<string, (long Started, string Expected, bool Fast, bool Measured)>();
        var fast = new ConcurrentBag<double>();
        var slow = new ConcurrentBag<double>();
        var unexpected = 0;
        var requests = 0;
        using var stop = new CancellationTokenSource();
        var matcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested || !pending.IsEmpty)
            {
                ReceivedRequest request;
                try
                {
                    request = await receiver.NextAsync(TimeSpan.FromSeconds(3));
                }
                catch (TimeoutException)
                {
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }

                    continue;
                }

                Interlocked.Increment(ref requests);
                foreach (var device in JsonDocument.Parse(request.Body).RootElement.EnumerateArray())
                {
                    var key = $"{device.GetProperty("dev").GetString()}:{device.GetProperty("circuit").GetString()}";
                    var value = device.GetProperty("value").GetRawText();
                    if (pending.TryGetValue(key, out var change) && change.Expected == value && pending.TryRemove(key, out _))
                    {
                        if (change.Measured)
                        {
                            (change.Fast ? fast : slow).Add(Stopwatch.GetElapsedTime(change.Started, request.ReceivedAt).TotalMilliseconds);
                        }
                    }
                    else
                    {
                        Interlocked.Increment(ref unexpected);
                    }
                }
            }
        });

        async Task<(int Fast, int Slow)> DriveAsync(TimeSpan duration, bool measured)
        {
            var sent = (Fast: 0, Slow: 0);
            var clock = Stopwatch.StartNew();
            var next = TimeSpan.Zero;
            var interval = TimeSpan.FromSeconds(1 / options.ChangesPerSecond);
            while (clock.Elapsed < duration)
            {
                // Uniformly random moments around the mean rate: changes do not line up with scans.
                next += interval * (Random.Shared.NextDouble() * 2);
                var wait = next - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                var target = targets[Random.Shared.Next(targets.Count)];
                var key = $"{target.Dev}:{target.Circuit}";
                if (pending.ContainsKey(key) || (observer?.Pending(key) ?? false))
                {
                    continue;
                }

                var expected = Change(target);
                pending[key] = (Stopwatch.GetTimestamp(), expected.Json, target.IsFast, measured);
                observer?.Expect(key, expected.Json, measured);
                expected.Apply();
                sent = target.IsFast ? (sent.Fast + 1, sent.Slow) : (sent.Fast, sent.Slow + 1);
            }

            return sent;
        }

        // A controller runs for months: the JIT has long finished with the hot paths, so the load runs once unmeasured,
        // then the silo idles (its idle CPU is measured warm), then the measured run.
        await DriveAsync(options.WarmUp, measured: false);
        await DrainAsync(() => pending.IsEmpty && (observer?.IsIdle ?? true));
        var writtenIdle = silo.WrittenBytes;
        var idleCpu = await silo.CpuPercentOverAsync(options.IdleWindow);
        var idleBytesPerDay = (silo.WrittenBytes - writtenIdle) / options.IdleWindow.TotalDays;
        if (options.ReceiverDown)
        {
            receiver.StatusCode = () => 503;
        }

        var writtenBefore = silo.WrittenBytes;
        var cpuBefore = silo.CpuTime;
        var jitBefore = await silo.JitTimeAsync();
        var scansBefore = await silo.TotalScansAsync();
        var requestsBefore = Volatile.Read(ref requests);
        var clock = Stopwatch.StartNew();
        var rss = new List<double>();
        using var sampling = new CancellationTokenSource();
        var sampler = SampleRssAsync(silo, rss, sampling.Token);
        var sent = await DriveAsync(options.Duration, measured: true);
        var elapsed = clock.Elapsed.TotalSeconds;
        var loadBytesPerDay = (silo.WrittenBytes - writtenBefore) / clock.Elapsed.TotalDays;
        receiver.StatusCode = () => 200;
        var cpu = (silo.CpuTime - cpuBefore).TotalSeconds;
        var jit = (await silo.JitTimeAsync() - jitBefore).TotalSeconds;
        var requestsPerSecond = (Volatile.Read(ref requests) - requestsBefore) / elapsed;
        var scans = await silo.TotalScansAsync() - scansBefore;
        await sampling.CancelAsync();
        await sampler;
        rss.Add(silo.RssMegabytes);
        await DrainAsync(() => pending.IsEmpty && (observer?.IsIdle ?? true));

        await stop.CancelAsync();
        await matcher;
        var delivered = fast.Count + slow.Count;
        return new ScenarioResult(
            new LatencySummary($"{options.Name} DI/RO", sent.Fast, fast.Count, unexpected, [.. fast]),
            new LatencySummary($"{options.Name} AO/AI", sent.Slow, slow.Count, 0, [.. slow]),
            scans / elapsed / options.Boards,
            cpu / elapsed * 100,
            idleCpu,
            delivered == 0 ? double.NaN : cpu / delivered * 1000,
            rss)
        {
            MemoryTrims = await silo.MemoryTrimsAsync(),
            WebhookRequestsPerSecond = requestsPerSecond,
            JitPercentOfOneCore = jit / elapsed * 100,
            Observed = observer?.Summary(options.Name),
            IdleWrittenBytesPerDay = idleBytesPerDay,
            LoadWrittenBytesPerDay = loadBytesPerDay,
        };
    }

    private static async Task DrainAsync(Func<bool> drained)
    {
        var drainUntil = DateTime.UtcNow.AddSeconds(3);
        while (!drained() && DateTime.UtcNow < drainUntil)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>The silo's RSS every 30 s of the measured run (the last sample is taken at its end).</summary>
    private static async Task SampleRssAsync(SiloProcess silo, List<double> samples, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                samples.Add(silo.RssMegabytes);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Per board: DI, RO, AO and AI in turn until the board has its share (model 13 has 4 DI, 5 RO, 4 AO, 4 AI).</summary>
    private static List<Target> Targets(List<SimulatedBoard> boards, int perBoard)
    {
        var kinds = new[] { ("input", 4), ("relay", 5), ("ao", 4), ("ai", 4) };
        var targets = new List<Target>();
        foreach (var board in boards)
        {
            var chosen = 0;
            for (var number = 1; chosen < perBoard && number <= 5; number++)
            {
                foreach (var (dev, count) in kinds)
                {
                    if (number <= count && chosen < perBoard)
                    {
                        targets.Add(new Target(board, dev, $"b{board.UnitId}_{number:00}", number));
                        chosen++;
                    }
                }
            }
        }

        return targets;
    }

    /// <summary>A new value for the target: how it shows in the device JSON, and the simulator write that makes it so.</summary>
    private static (string Json, Action Apply) Change(Target target)
    {
        var board = target.Board;
        switch (target.Dev)
        {
            case "input":
                var input = ((board.GetRegister(0) >> (target.Number - 1)) & 1) == 0;
                return (input ? "1" : "0", () => board.SetDigitalInput(target.Number, input));
            case "relay":
                var relay = !board.GetCoil(target.Number - 1);
                return (relay ? "1" : "0", () => board.SetCoil(target.Number - 1, relay));
            case "ao":
                var register = 2 + target.Number - 1;
                var raw = (ushort)((board.GetRegister(register) + Random.Shared.Next(1, 4000)) % 4001);
                return (Json(PythonRound.Round(raw * 0.0025, 3)), () => board.SetRegister(register, raw));
            default:
                // A value other than the current one: an unchanged input is no change to deliver.
                var current = BitConverter.Int32BitsToSingle(board.GetRegister(6 + (2 * (target.Number - 1))) | (board.GetRegister(7 + (2 * (target.Number - 1))) << 16));
                var volts = (float)(((int)Math.Round(current * 1000) + Random.Shared.Next(1, 10_000)) % 10_000 / 1000.0);
                return (Json(PythonRound.Round(volts, 3)), () => board.SetAnalogInput(target.Number, volts));
        }
    }

    private static string Json(double value)
    {
        var text = new StringBuilder();
        new Evok.Orleans.Abstractions.Json.EvokJsonWriter(text).Float(value);
        return text.ToString();
    }

    /// <summary>The site's buses and webhook; every other key as a user's config leaves it (the defaults), but what <paramref name="settings"/> sets.</summary>
    internal static string Config(int modbusPort, int boards, Uri webhook, int apiPort, SiloSettings settings)
    {
        var apiKeys = settings.ApiKeys;
        var yaml = new StringBuilder($"""
            apis:
              port: {apiPort}
            {string.Concat(apiKeys.Select(key => $"  {key.Key}: {key.Value}\n"))}  webhooks:
                - name: benchmark
                  address: {webhook}
                  device_mask: [di, relay, ao, ai]
                  complex_events: true
            comm_channels:
              simulator:
                type: MODBUSTCP
                hostname: 127.0.0.1
                port: {modbusPort}
                devices:

            """);
        for (var unit = 1; unit <= boards; unit++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      b{unit}: {{slave-id: {unit}, model: \"13\", scan_frequency: 50}}\n");
        }

        return yaml.Append(settings.ConfigChannels).Append(settings.ConfigSections).ToString();
    }
}

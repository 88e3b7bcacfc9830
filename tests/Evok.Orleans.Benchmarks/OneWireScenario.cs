using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Evok.Orleans.Buses.OneWire;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// 1-Wire through Debian's owserver (simulated adapters, so owserver and our client are measured, not a real bus,
/// whose 1-Wire timing makes a DS18B20 conversion take up to 750 ms): (1) device polls per second one bus achieves
/// with every device always due, (2) temperature change → webhook: the fake adapter reads a new random temperature
/// every time, so every poll is a change; each is timed from its poll (<c>time</c> in the payload, the monotonic
/// clock to 10 ms) to the webhook request that carries it.
/// </summary>
internal static class OneWireScenario
{
    public static async Task<string> ReadRateAsync(TimeSpan duration)
    {
        await using var owserver = await OwserverProcess.StartAsync("--tester=28,28,28,28,28,28,28,28,10,10,26,29");
        var configuration = new OneWireBusConfiguration("OWFS", "127.0.0.1", owserver.Port) { Interval = TimeSpan.FromMilliseconds(1) };
        await using var bus = new OneWireBus(configuration, NullLogger.Instance);
        var present = new TaskCompletionSource<int>();
        bus.Attach(report =>
        {
            if (report.Present is { Length: > 0 } devices)
            {
                present.TrySetResult(devices.Length);
            }

            return Task.CompletedTask;
        });
        var found = await present.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        var (before, started) = (bus.Reads, Stopwatch.StartNew());
        await Task.Delay(duration);
        var rate = (bus.Reads - before) / started.Elapsed.TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"1-Wire polls through owserver ({found} devices found of 8 DS18B20, 2 DS18S20, a DS2438 of 5 properties, a DS2408), all always due: {rate:0} device polls/s, {bus.FailedReads} failed");
    }

    public static async Task<LatencySummary> TemperatureLatencyAsync(int changes)
    {
        await using var owserver = await OwserverProcess.StartAsync("--fake=28");
        await using var receiver = await WebhookReceiver.StartAsync();
        var site = SiteConfigurationLoader.Parse("onewire-benchmark.yaml", $$"""
            apis:
              webhook: {enabled: true, address: "{{receiver.Address}}", device_mask: [temp], complex_events: true}
            comm_channels:
              OWFS:
                type: OWFS
                port: {{owserver.Port}}
                interval: 0.2
            """, new HardwareDefinitionCatalog());
        using var host = await InProcessSilo.StartAsync(site);

        var delays = new List<double>(changes);
        var seen = new ConcurrentDictionary<double, bool>();
        var duplicated = 0;
        await receiver.NextAsync(TimeSpan.FromSeconds(30));
        while (delays.Count < changes)
        {
            var request = await receiver.NextAsync(TimeSpan.FromSeconds(10));
            foreach (var device in JsonDocument.Parse(request.Body).RootElement.EnumerateArray())
            {
                var polled = device.GetProperty("time").GetDouble();
                if (!seen.TryAdd(polled, true))
                {
                    duplicated++;
                    continue;
                }

                // The payload's time is Environment.TickCount64 (CLOCK_MONOTONIC, coarse) in seconds; ReceivedAt is a Stopwatch timestamp (CLOCK_MONOTONIC).
                delays.Add(Math.Max(0, ((double)request.ReceivedAt / Stopwatch.Frequency - polled) * 1000));
            }
        }

        await host.StopAsync();
        return new LatencySummary("1-Wire temperature change -> webhook (poll every 0.2 s, delay from the poll, +-10 ms)", changes, delays.Count, duplicated, delays);
    }
}

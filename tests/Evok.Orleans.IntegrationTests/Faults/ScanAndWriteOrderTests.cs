using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.TestSupport;
using Xunit.Abstractions;

namespace Evok.Orleans.IntegrationTests.Faults;

/// <summary>
/// The bus scanner reads while the poller writes: a scan read sent before a write's read-back comes back after it,
/// with the old state. These prove it is never applied over the newer state, and that the pipeline keeps up with
/// changes arriving faster than one per scan.
/// </summary>
public sealed class ScanAndWriteOrderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_write_made_while_scans_are_on_the_wire_is_never_followed_by_the_old_state()
    {
        await using var site = FaultSite.Create();
        await using var receiver = await WebhookReceiver.StartAsync(site.WebhookPort);

        // A slow bus, and writes closer together than a scan period: a scan read sent between two writes comes back
        // after the second write's read-back, carrying the first write's state.
        site.Simulator.ResponseDelay = TimeSpan.FromMilliseconds(3);
        await site.StartSiloAsync();
        await site.WaitForFirstScansAsync();
        var poller = site.Grains.GetGrain<IModbusDevicePollerGrain>("2");
        var written = new List<int>();
        for (var write = 1; write <= 40; write++)
        {
            var value = write % 2;
            await poller.SetAsync("relay:2_01", [new PropertyAssignment("value", value.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            written.Add(value);
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 15)));
        }

        var ledger = new DeliveryLedger();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ledger.ValuesOf("2_01").Count < written.Count + 1 && DateTime.UtcNow < deadline)
        {
            ledger.Add(await receiver.NextAsync(TimeSpan.FromSeconds(30)));
        }

        // Anything stale would come within a few scans of the last write.
        foreach (var request in await receiver.CollectAsync(TimeSpan.FromMilliseconds(500)))
        {
            ledger.Add(request);
        }

        output.WriteLine($"writes={written.Count} values seen={string.Join(",", ledger.ValuesOf("2_01"))}");
        Assert.Equal([0, .. written], ledger.ValuesOf("2_01"));
    }

    [Fact]
    public async Task Changes_every_25_ms_arrive_once_in_order_and_the_outbox_drains()
    {
        await using var site = FaultSite.Create();
        await using var receiver = await WebhookReceiver.StartAsync(site.WebhookPort);
        await site.StartSiloAsync();
        await site.WaitForFirstScansAsync();
        var outbox = site.Grains.GetGrain<IWebhookOutboxGrain>("receiver");

        // Two relays in turn, one change every 25 ms: each relay changes every other scan, 200 changes in all.
        const int Flips = 200;
        for (var flip = 0; flip < Flips; flip++)
        {
            site.Simulator[2].SetCoil(flip % 2, flip / 2 % 2 == 0);
            await Task.Delay(TimeSpan.FromMilliseconds(25));
        }

        // The receiver keeps every request it got; the last ones carry both relays' final state, 0.
        var ledger = new DeliveryLedger();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            foreach (var request in await receiver.CollectAsync(TimeSpan.FromMilliseconds(300)))
            {
                ledger.Add(request);
            }
        }
        while (((await outbox.GetStatusAsync()).Pending > 0 || ledger.ValuesOf("2_01").LastOrDefault(1) != 0 || ledger.ValuesOf("2_02").LastOrDefault(1) != 0)
            && DateTime.UtcNow < deadline);

        var status = await outbox.GetStatusAsync();
        output.WriteLine($"flips={Flips} requests={ledger.Requests} 2_01={ledger.ValuesOf("2_01").Count} 2_02={ledger.ValuesOf("2_02").Count} delivered={status.Delivered}");
        Assert.Equal(0, status.Pending);
        Assert.Equal(0, ledger.Duplicates);
        Assert.Equal(0, ledger.ConflictingBodies);
        foreach (var relay in new[] { "2_01", "2_02" })
        {
            // Each event is a real change, so a relay's values alternate; a repeat would be a stale or reordered state.
            var values = ledger.ValuesOf(relay);
            Assert.All(values.Zip(values.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
            Assert.Equal(0, values.Last());
        }
    }
}

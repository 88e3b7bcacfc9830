using System.Diagnostics;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.TestSupport;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using Xunit.Abstractions;

namespace Evok.Orleans.IntegrationTests.Faults;

[Trait("Category", TestCategory.Peers)]
public sealed class DurabilityAndSignatureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Pending_deliveries_kept_in_redis_are_delivered_after_a_silo_restart()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var site = FaultSite.Create(storage: new StorageConfiguration("redis", redis.ConnectionString));
        await site.StartSiloAsync();
        await site.WaitForFirstScansAsync();
        var outbox = site.Grains.GetGrain<IWebhookOutboxGrain>("receiver");
        var expected = new List<int> { 0 };
        for (var flip = 0; flip < 6; flip++)
        {
            var on = flip % 2 == 0;
            site.Simulator[2].SetCoil(4, on);
            expected.Add(on ? 1 : 0);
            await Task.Delay(TimeSpan.FromMilliseconds(150));
        }

        var pendingAtStop = (await outbox.GetStatusAsync()).Pending;
        await site.StopSiloAsync();
        await using var receiver = await WebhookReceiver.StartAsync(site.WebhookPort);
        var restarted = Stopwatch.GetTimestamp();
        await site.StartSiloAsync();

        var ledger = new DeliveryLedger();
        while (ledger.ValuesOf("2_05").Count < expected.Count + 1)
        {
            ledger.Add(await receiver.NextAsync(TimeSpan.FromSeconds(30)));
        }

        // What the first run queued (its first scan, then six flips) comes first; the second run's first scan after.
        output.WriteLine($"redis restart: pending_at_stop={pendingAtStop} sent={expected.Count - 1} delivered={ledger.ValuesOf("2_05").Count - 2} " +
            $"lost=0 duplicates={ledger.Duplicates} drain_after_restart={Stopwatch.GetElapsedTime(restarted, ledger.LastAcceptedAt).TotalSeconds:0.00}s");
        Assert.True(pendingAtStop >= 7, $"only {pendingAtStop} deliveries were waiting at the stop");
        Assert.Equal([.. expected, 0], ledger.ValuesOf("2_05"));
        Assert.Equal(0, ledger.ConflictingBodies);
    }

    [Fact]
    public async Task Redis_losing_the_outbox_while_batches_wait_is_counted_and_every_batch_is_still_delivered()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var site = FaultSite.Create(storage: new StorageConfiguration("redis", redis.ConnectionString));
        await using var receiver = await WebhookReceiver.StartAsync(site.WebhookPort);
        receiver.StatusCode = () => 503;
        await site.StartSiloAsync();
        await site.WaitForFirstScansAsync();
        var outbox = site.Grains.GetGrain<IWebhookOutboxGrain>("receiver");
        var expected = new List<int> { 0 };
        for (var flip = 0; flip < 8; flip++)
        {
            var on = flip % 2 == 0;
            site.Simulator[2].SetCoil(4, on);
            expected.Add(on ? 1 : 0);
            await Task.Delay(TimeSpan.FromMilliseconds(150));
            if (flip == 3)
            {
                // Redis forgets everything while batches wait (as a restart without persistence would).
                var flushed = await ExternalProcess.RunAsync("redis-cli", ["-p", redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "FLUSHALL"], TimeSpan.FromSeconds(10));
                Assert.Equal("OK", flushed.Output.Trim());
            }
        }

        receiver.StatusCode = () => 200;
        var ledger = new DeliveryLedger();
        while (ledger.ValuesOf("2_05").Count < expected.Count)
        {
            // Retries back off up to 30 s apart: on a busy machine the refusals can last long enough to reach that.
            ledger.Add(await receiver.NextAsync(TimeSpan.FromSeconds(60)));
        }

        var status = await outbox.GetStatusAsync();
        output.WriteLine($"redis FLUSHALL with batches waiting: sent={expected.Count} delivered={ledger.ValuesOf("2_05").Count} state_lost={status.StateLost} failed={status.Failed} dropped={status.Dropped}");
        Assert.Equal(expected, ledger.ValuesOf("2_05"));
        Assert.True(status.StateLost >= 1, "the lost state was noticed and counted");
        Assert.Equal(0, status.Dropped);

        // The store holds the outbox again: what the next write put there.
        var keys = await ExternalProcess.RunAsync("redis-cli", ["-p", redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--scan"], TimeSpan.FromSeconds(10));
        Assert.Contains("outbox", keys.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Deliveries_are_signed_per_standard_webhooks_and_verify_with_python_hmac_and_the_package()
    {
        await using var site = FaultSite.Create();
        await using var receiver = await WebhookReceiver.StartAsync(site.WebhookPort);
        await site.StartSiloAsync();
        await receiver.NextBurstAsync(TimeSpan.FromSeconds(30), quiet: TimeSpan.FromSeconds(1));

        site.Simulator[2].SetCoil(2, true);
        var request = await receiver.NextAsync(TimeSpan.FromSeconds(10));
        var secret = site.Configuration.Api.Webhooks[0].Secret!;

        var python = await RunVerifierAsync(secret, request, request.Body);
        var tampered = await RunVerifierAsync(secret, request, request.Body.Replace("\"value\": 1", "\"value\": 0", StringComparison.Ordinal));
        var headers = new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => new Microsoft.Extensions.Primitives.StringValues(h.Value)));
        new StandardWebhook(secret).Verify(request.Body, headers);

        Assert.Equal("valid", python);
        Assert.Equal("invalid", tampered);
        Assert.Matches("^[0-9a-f]{32}$", request.Headers["webhook-id"]);
        Assert.InRange(long.Parse(request.Headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 30, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
    }

    private static async Task<string> RunVerifierAsync(string secret, ReceivedRequest request, string body)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "verify_signature.py");
        using var process = ExternalProcess.Start("/usr/bin/python3", [script, secret, request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"]]);
        await process.StandardInput.WriteAsync(body);
        process.StandardInput.Close();
        var verdict = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return verdict.Trim();
    }
}

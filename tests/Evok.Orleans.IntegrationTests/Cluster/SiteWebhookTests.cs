using System.Text.Json;
using Evok.Orleans.IntegrationTests.Faults;
using Evok.Orleans.TestSupport;
using Xunit.Abstractions;

namespace Evok.Orleans.IntegrationTests.Cluster;

/// <summary>
/// Webhooks of a site whose controllers keep their outboxes in Redis: a controller killed with batches waiting
/// delivers them after its restart, with the same webhook-ids, and a rolling restart of the site loses no change.
/// </summary>
[Trait("Category", TestCategory.Cluster)]
public sealed class SiteWebhookTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_killed_controller_delivers_its_waiting_batches_after_restart_and_a_rolling_restart_loses_nothing()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var receiver1 = await WebhookReceiver.StartAsync();
        await using var receiver2 = await WebhookReceiver.StartAsync();
        receiver1.StatusCode = () => 503;
        receiver2.StatusCode = () => 503;
        await using var plc1 = Controller("plc1", redis, receiver1);
        await using var plc2 = Controller("plc2", redis, receiver2);
        plc1.Start();
        plc2.Start();
        await Task.WhenAll(plc1.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), plc2.WaitUntilServingAsync(TimeSpan.FromSeconds(90)));

        // The relay's initial state (0), then six flips on each controller while its receiver refuses everything.
        var expected1 = new List<int> { 0 };
        var expected2 = new List<int> { 0 };
        await FlipAsync(plc1, expected1, 6);
        await FlipAsync(plc2, expected2, 6);
        var waiting = await WaitForPendingAsync(plc1, 7, TimeSpan.FromSeconds(15));
        Assert.True(waiting >= 7, $"only {waiting} batches were waiting on plc1");

        // plc1 loses power with them waiting; the receivers come back; plc1 is started again.
        plc1.Kill();
        receiver1.StatusCode = () => 200;
        receiver2.StatusCode = () => 200;
        plc1.Start();
        await plc1.WaitUntilServingAsync(TimeSpan.FromSeconds(90));

        // Rolling restart: each controller stopped and started in turn while the other one's relay flips.
        await plc2.StopAsync();
        await FlipAsync(plc1, expected1, 3);
        plc2.Start();
        await plc2.WaitUntilServingAsync(TimeSpan.FromSeconds(90));
        await plc1.StopAsync();
        await FlipAsync(plc2, expected2, 3);
        plc1.Start();
        await plc1.WaitUntilServingAsync(TimeSpan.FromSeconds(90));

        // Every flip arrives, in order; a restart adds the relay's state as read again (the same value, repeated).
        var ledger1 = await CollectAsync(receiver1, expected1);
        var ledger2 = await CollectAsync(receiver2, expected2);
        output.WriteLine($"plc1: {string.Join(",", ledger1.ValuesOf("2_05"))} ({ledger1.Requests} requests, {ledger1.Duplicates} duplicates, " +
            $"{ledger1.AcceptedAfterRefusal} accepted under the id first refused; {waiting} waiting at the kill)");
        output.WriteLine($"plc2: {string.Join(",", ledger2.ValuesOf("2_05"))} ({ledger2.Requests} requests, {ledger2.Duplicates} duplicates)");
        // Only the oldest waiting batch is tried while the receiver refuses: the one whose id plc1 sent before the kill
        // comes again under that id after it.
        Assert.True(ledger1.AcceptedAfterRefusal >= 1, "the batch refused before the kill was accepted under another webhook-id");
        Assert.Equal(0, ledger1.ConflictingBodies);
        Assert.Equal(0, ledger2.ConflictingBodies);
    }

    private static SiteController Controller(string node, RedisServer redis, WebhookReceiver receiver) => new(
        "hooks",
        node,
        redis.ConnectionString,
        apis: $"""
              webhooks:
                - name: receiver
                  address: {receiver.Address}
                  device_mask: [relay]
                  complex_events: true
            """,
        sections: $"""
            storage:
              type: redis
              connection_string: "{redis.ConnectionString}"
            """);

    private static async Task FlipAsync(SiteController controller, List<int> expected, int flips)
    {
        for (var flip = 0; flip < flips; flip++)
        {
            var on = expected[^1] == 0;
            controller.Simulator[2].SetCoil(4, on);
            expected.Add(on ? 1 : 0);
            await Task.Delay(TimeSpan.FromMilliseconds(150));
        }
    }

    /// <summary>
    /// The last flip is only 150 ms old when the flips end: under load its scan may not have been enqueued yet, so
    /// the count is read until it reaches <paramref name="atLeast"/> or the time is up.
    /// </summary>
    private static async Task<int> WaitForPendingAsync(SiteController controller, int atLeast, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        int pending;
        while ((pending = await PendingAsync(controller)) < atLeast && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        return pending;
    }

    private static async Task<int> PendingAsync(SiteController controller)
    {
        using var status = JsonDocument.Parse(await controller.Http.GetStringAsync("status"));
        return status.RootElement.GetProperty("webhooks").EnumerateArray().Sum(webhook => webhook.GetProperty("pending").GetInt32());
    }

    /// <summary>Collects until the expected values arrived in order (a repeated value from a restart's first scan in between is allowed).</summary>
    private static async Task<DeliveryLedger> CollectAsync(WebhookReceiver receiver, List<int> expected)
    {
        var ledger = new DeliveryLedger();
        while (!InOrder(Collapsed(ledger.ValuesOf("2_05")), expected))
        {
            // Retries back off up to 30 s apart while a receiver refuses: wait longer than that for the next one.
            ledger.Add(await receiver.NextAsync(TimeSpan.FromSeconds(60)));
        }

        return ledger;
    }

    private static List<int> Collapsed(List<int> values) => [.. values.Where((value, index) => index == 0 || values[index - 1] != value)];

    private static bool InOrder(List<int> seen, List<int> expected) => seen.SequenceEqual(Collapsed(expected));
}

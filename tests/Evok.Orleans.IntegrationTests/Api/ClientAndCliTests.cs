using System.Globalization;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Client;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Api;

/// <summary>The client library and the evok-orleans CLI against a running silo.</summary>
[Collection(ApiCollection.Name)]
public sealed class ClientAndCliTests(ApiSite site)
{
    [Fact]
    public async Task The_client_gets_and_sets_and_its_watch_sees_the_change_the_set_caused()
    {
        await using var client = await EvokClient.ConnectAsync(site.GatewayPort);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var watch = client.WatchAsync(EvokDevices.Mask("ro"), stop.Token).GetAsyncEnumerator(stop.Token);
        var next = watch.MoveNextAsync().AsTask();
        await Task.Delay(300);

        var before = Assert.IsType<RelayState>(await client.Devices.GetAsync("ro", "2_01"));
        var after = Assert.IsType<RelayState>(await client.Devices.SetAsync("relay", "2_01", new PropertyAssignment("value", before.Value == 0 ? "1" : "0")));

        Assert.True(await next);
        var change = Assert.Single(watch.Current.Changes);
        Assert.Equal("relay:2_01", change.Key);
        Assert.True(change.Seq > 0, "a watched change carries its journal number");
        Assert.Equal(after, change.State);
        Assert.NotEqual(before.Value, after.Value);
        await Assert.ThrowsAsync<DeviceNotFoundException>(() => client.Devices.GetAsync("ai", "7_07"));
        await Assert.ThrowsAsync<DeviceWriteException>(() => client.Devices.SetAsync("ao", "2_02", new PropertyAssignment("value", "99")));
    }

    [Fact]
    public async Task Two_watches_each_get_their_own_mask_and_ending_one_leaves_the_other_running()
    {
        await using var client = await EvokClient.ConnectAsync(site.GatewayPort);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var endRelays = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        await using var relays = client.WatchAsync(EvokDevices.Mask("relay"), endRelays.Token).GetAsyncEnumerator(endRelays.Token);
        await using var leds = client.WatchAsync(EvokDevices.Mask("led"), stop.Token).GetAsyncEnumerator(stop.Token);
        var nextRelay = relays.MoveNextAsync().AsTask();
        var nextLed = leds.MoveNextAsync().AsTask();
        await Task.Delay(300);

        var relay = Assert.IsType<RelayState>(await client.Devices.GetAsync("relay", "2_03"));
        await client.Devices.SetAsync("relay", "2_03", new PropertyAssignment("value", relay.Value == 0 ? "1" : "0"));
        Assert.True(await nextRelay);
        Assert.Equal("relay:2_03", Assert.Single(relays.Current.Changes).Key);
        Assert.False(nextLed.IsCompleted);

        await endRelays.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await relays.MoveNextAsync());
        var led = Assert.IsType<LedState>(await client.Devices.GetAsync("led", "1_03"));
        await client.Devices.SetAsync("led", "1_03", new PropertyAssignment("value", led.Value == 0 ? "1" : "0"));
        Assert.True(await nextLed);
        Assert.Equal("led:1_03", Assert.Single(leds.Current.Changes).Key);
    }

    [Fact]
    public async Task The_cli_lists_gets_sets_and_watches()
    {
        var port = site.GatewayPort.ToString(CultureInfo.InvariantCulture);
        using var watcher = BuiltProgram.Cli.Start("--gateway-port", port, "watch", "--mask", "led");
        var watched = watcher.StandardOutput.ReadLineAsync();
        await watcher.StandardError.ReadLineAsync();

        var set = await BuiltProgram.Cli.RunAsync(TimeSpan.FromSeconds(60), "--gateway-port", port, "set", "led", "1_02", "1");
        var get = await BuiltProgram.Cli.RunAsync(TimeSpan.FromSeconds(60), "--gateway-port", port, "get", "led", "1_02");
        var list = await BuiltProgram.Cli.RunAsync(TimeSpan.FromSeconds(60), "--gateway-port", port, "list", "wd");
        var missing = await BuiltProgram.Cli.RunAsync(TimeSpan.FromSeconds(60), "--gateway-port", port, "get", "led", "9_09");
        var evok3 = await BuiltProgram.Cli.RunAsync(TimeSpan.FromSeconds(60), "--gateway-port", port, "--json-names", "evok3", "get", "led", "1_02");

        const string led = """{"dev": "led", "circuit": "1_02", "value": 1, "glob_dev_id": 2}""";
        Assert.Equal(led, set.Output.Trim());
        Assert.Equal(led, get.Output.Trim());
        Assert.Equal("""{"dev": "led", "circuit": "1_02", "value": 1}""", evok3.Output.Trim());
        Assert.Equal(2, list.Output.Trim().Split('\n').Length);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no led device '9_09'", missing.Error, StringComparison.Ordinal);
        Assert.Equal($"[{led}]", await watched.WaitAsync(TimeSpan.FromSeconds(20)));
        watcher.Kill();
    }
}

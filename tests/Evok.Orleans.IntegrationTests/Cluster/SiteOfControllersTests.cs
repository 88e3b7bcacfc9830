using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Client;
using Evok.Orleans.TestSupport;
using Orleans.Streams;
using Xunit.Abstractions;

namespace Evok.Orleans.IntegrationTests.Cluster;

/// <summary>
/// Three controllers, each with boards "1" and "2" of its own, as one Orleans cluster on a real redis-server: every
/// controller's devices are read and switched through every controller's API and through a client of the site, and
/// each controller's own API keeps Evok's unqualified names for its own boards.
/// </summary>
[Trait("Category", TestCategory.Cluster)]
public sealed class SiteOfControllersTests(ThreeControllerSite site, ITestOutputHelper output) : IClassFixture<ThreeControllerSite>
{
    [Fact]
    public async Task Every_controller_is_listed_by_every_controller_as_an_active_node()
    {
        foreach (var via in site.Controllers)
        {
            using var nodes = JsonDocument.Parse(await via.Http.GetStringAsync("nodes"));
            var listed = nodes.RootElement.EnumerateArray().ToDictionary(node => node.GetProperty("node").GetString()!);

            Assert.Equal(["plc1", "plc2", "plc3"], listed.Keys.Order());
            Assert.All(listed.Values, node => Assert.Equal("active", node.GetProperty("status").GetString()));
            Assert.True(listed[via.Node].GetProperty("self").GetBoolean());
        }
    }

    [Fact]
    public async Task Every_controllers_relay_is_switched_through_every_controllers_api_and_only_its_own_board_moves()
    {
        var expected = site.Controllers.ToDictionary(controller => controller.Node, controller => controller.Simulator[2].GetCoil(0));
        foreach (var via in site.Controllers)
        {
            foreach (var target in site.Controllers)
            {
                var value = !expected[target.Node];
                var response = await via.Http.PostAsync(
                    $"nodes/{target.Node}/rest/relay/2_01", new FormUrlEncodedContent([new("value", value ? "1" : "0")]));
                var body = await response.Content.ReadAsStringAsync();

                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{via.Node} → {target.Node}: {(int)response.StatusCode} {body}");
                Assert.Contains($"\"circuit\": \"2_01\", \"value\": {(value ? 1 : 0)}", body, StringComparison.Ordinal);
                expected[target.Node] = value;
                Assert.All(site.Controllers, controller => Assert.Equal(expected[controller.Node], controller.Simulator[2].GetCoil(0)));
            }
        }

        // Each controller's own Evok paths answer for its own boards.
        foreach (var controller in site.Controllers)
        {
            using var own = JsonDocument.Parse(await controller.Http.GetStringAsync("rest/relay/2_01"));
            Assert.Equal(expected[controller.Node] ? 1 : 0, own.RootElement.GetProperty("value").GetInt32());
        }
    }

    [Fact]
    public async Task An_input_that_changes_on_one_controller_is_read_through_the_others()
    {
        var target = site["plc2"];
        target.Simulator[1].SetDigitalInput(3, true);
        foreach (var via in site.Controllers)
        {
            await ApiPolling.WaitUntilShowsAsync(via.Http, $"nodes/{target.Node}/rest/input/1_03", "\"value\": 1", TimeSpan.FromSeconds(15));
        }

        // The same circuit of the other controllers did not change.
        using var other = JsonDocument.Parse(await site["plc1"].Http.GetStringAsync("nodes/plc3/rest/input/1_03"));
        Assert.Equal(0, other.RootElement.GetProperty("value").GetInt32());
        target.Simulator[1].SetDigitalInput(3, false);
    }

    [Fact]
    public async Task A_client_of_the_site_lists_switches_and_watches_every_controller()
    {
        await using var client = await EvokClient.ConnectToSiteAsync(ThreeControllerSite.Name, site.Redis.ConnectionString);

        var nodes = await client.NodesAsync();
        Assert.Equal(["plc1", "plc2", "plc3"], nodes.Where(node => node.IsActive).Select(node => node.Name));

        var plc3 = site["plc3"];
        var now = plc3.Simulator[2].GetCoil(1);
        var state = await client.Node("plc3").SetAsync("relay", "2_02", new Abstractions.Writes.PropertyAssignment("value", now ? "0" : "1"));
        Assert.Equal("2_02", state.Circuit);
        Assert.Equal(!now, plc3.Simulator[2].GetCoil(1));

        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var changes = client.WatchAsync(EvokDevices.Mask("input"), watching.Token).GetAsyncEnumerator(watching.Token);
        var first = changes.MoveNextAsync();

        // The watch subscribes to every node before its first batch is awaited: give it a moment, then change plc2's input.
        await Task.Delay(TimeSpan.FromSeconds(1));
        site["plc2"].Simulator[1].SetDigitalInput(4, true);
        var seen = new List<string>();
        for (var more = await first; more; more = await changes.MoveNextAsync())
        {
            var batch = changes.Current;
            seen.Add($"{batch.Node}/{batch.Device}: {string.Join(",", batch.Changes.Select(change => change.State.Circuit))}");
            if (batch.Node == "plc2" && batch.Changes.Any(change => change.State is DigitalInputState { Circuit: "1_04", Value: 1 }))
            {
                break;
            }
        }

        output.WriteLine(string.Join('\n', seen));
        await changes.DisposeAsync();
        site["plc2"].Simulator[1].SetDigitalInput(4, false);
    }

    [Fact]
    public async Task A_client_of_the_site_subscribes_to_the_sites_and_to_another_controllers_device_stream()
    {
        await using var client = await EvokClient.ConnectToSiteAsync(ThreeControllerSite.Name, site.Redis.ConnectionString);
        var everything = Channel.CreateUnbounded<DeviceChangeBatch>();
        var plc3Board1 = Channel.CreateUnbounded<DeviceChangeBatch>();
        var whole = await client.ChangeStream().SubscribeAsync((batch, _) => everything.Writer.WriteAsync(batch).AsTask());
        var device = await client.ChangeStream("1", node: "plc3").SubscribeAsync((batch, _) => plc3Board1.Writer.WriteAsync(batch).AsTask());

        site["plc2"].Simulator[2].SetDigitalInput(3, true);
        site["plc3"].Simulator[1].SetDigitalInput(2, true);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new HashSet<(string Node, string Device, string Input)>();
        while (!seen.Contains(("plc2", "2", "2_03")) || !seen.Contains(("plc3", "1", "1_02")))
        {
            var batch = await everything.Reader.ReadAsync(deadline.Token);
            seen.UnionWith(RaisedInputs(batch).Select(input => (batch.Node, batch.Device, input)));
        }

        while (true)
        {
            var batch = await plc3Board1.Reader.ReadAsync(deadline.Token);
            Assert.Equal(("plc3", "1"), (batch.Node, batch.Device));
            if (RaisedInputs(batch).Contains("1_02"))
            {
                break;
            }
        }

        await whole.UnsubscribeAsync();
        await device.UnsubscribeAsync();
        site["plc2"].Simulator[2].SetDigitalInput(3, false);
        site["plc3"].Simulator[1].SetDigitalInput(2, false);

        static IEnumerable<string> RaisedInputs(DeviceChangeBatch batch) =>
            batch.Changes.Select(change => change.State).OfType<DigitalInputState>().Where(input => input.Value == 1).Select(input => input.Circuit);
    }

    [Fact]
    public async Task A_node_that_is_not_in_the_site_is_answered_with_503_in_evoks_error_shape()
    {
        var response = await site["plc1"].Http.GetAsync("nodes/plc9/rest/all");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.GetProperty("success").GetBoolean());
        Assert.Contains("plc9", body.RootElement.GetProperty("errors").GetProperty("NodeUnavailable").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_websocket_on_one_controller_shows_and_switches_another_controllers_devices()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{site["plc1"].ApiPort}/nodes/plc3/ws"), CancellationToken.None);

        // plc3's input changes on plc3's board: the change is pushed to plc1's WebSocket client.
        await Task.Delay(TimeSpan.FromSeconds(1));
        site["plc3"].Simulator[2].SetDigitalInput(2, true);
        var messages = new List<string>();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            while (!messages.Any(message => message.Contains("\"circuit\": \"2_02\", \"value\": 1", StringComparison.Ordinal)))
            {
                messages.Add(await WebSocketText.ReceiveAsync(socket, deadline.Token));
            }
        }

        // A set on that socket is carried out by plc3.
        var relay = site["plc3"].Simulator[2].GetCoil(2);
        await WebSocketText.SendAsync(socket, $$"""{"cmd": "set", "dev": "relay", "circuit": "2_03", "value": {{(relay ? 0 : 1)}}}""");
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            while (site["plc3"].Simulator[2].GetCoil(2) == relay)
            {
                await Task.Delay(50, deadline.Token);
            }
        }

        Assert.All(new[] { "plc1", "plc2" }, node => Assert.Equal(relay, site[node].Simulator[2].GetCoil(2)));
        site["plc3"].Simulator[2].SetDigitalInput(2, false);

        // A controller that is not in the site is refused before the upgrade.
        using var refused = new ClientWebSocket();
        var error = await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(new Uri($"ws://127.0.0.1:{site["plc1"].ApiPort}/nodes/plc9/ws"), CancellationToken.None));
        output.WriteLine(error.Message);
    }
}

using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Client;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Api;

/// <summary>The change journal through the API: history, WebSocket and client app resume, numbering across a restart.</summary>
[Collection(ApiCollection.Name)]
public sealed class JournalTests(ApiSite site)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task History_lists_a_circuits_changes_oldest_first_with_number_time_and_value()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        await SetRelayAsync("2_05", 1);
        await SetRelayAsync("2_05", 0);

        var history = await HistoryAsync("relay", "2_05", "");

        Assert.Equal("relay", history.GetProperty("dev").GetString());
        Assert.Equal("2_05", history.GetProperty("circuit").GetString());
        var entries = history.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([1, 0], entries.TakeLast(2).Select(entry => entry.GetProperty("value").GetInt32()));
        Assert.True(entries[^1].GetProperty("seq").GetInt64() > entries[^2].GetProperty("seq").GetInt64());
        Assert.All(entries.TakeLast(2), entry => Assert.InRange(entry.GetProperty("time").GetDouble(), before, before + 60));

        var newest = (await HistoryAsync("relay", "2_05", "?limit=1")).GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(entries[^1].GetProperty("seq").GetInt64(), Assert.Single(newest).GetProperty("seq").GetInt64());
        var none = await HistoryAsync("relay", "2_05", $"?from=0&to={before - 3600}");
        Assert.Empty(none.GetProperty("history").EnumerateArray());
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=many", "limit")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?from=200&to=100", "from")]
    public async Task A_bad_history_query_is_a_400_in_Evoks_error_shape(string query, string key)
    {
        using var response = await site.Http.GetAsync($"rest/relay/2_05/history{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(error.RootElement.GetProperty("success").GetBoolean());
        Assert.True(error.RootElement.GetProperty("errors").TryGetProperty(key, out _), $"no error for {key}");
    }

    [Fact]
    public async Task A_resumed_WebSocket_gets_the_changes_after_its_number_in_order_then_live_ones_each_with_seq()
    {
        await SetRelayAsync("1_03", 1);
        var since = LastOf(await HistoryAsync("relay", "1_03", "")).GetProperty("seq").GetInt64();
        await SetRelayAsync("1_03", 0);
        using var plain = await ConnectAsync();
        using var resumed = await ConnectAsync();
        await WebSocketText.SendAsync(plain, """{"cmd": "filter", "devices": ["relay"]}""");
        await WebSocketText.SendAsync(resumed, """{"cmd": "filter", "devices": ["relay"]}""");

        await WebSocketText.SendAsync(resumed, $$"""{"cmd": "resume", "since": {{since}}}""");
        var missed = await ReceiveUntilAsync(resumed, "1_03", 0);
        await SetRelayAsync("1_03", 1);
        var live = await ReceiveUntilAsync(resumed, "1_03", 1);
        var plainLive = await ReceiveUntilAsync(plain, "1_03", 1);

        var numbers = missed.Concat(live).Select(device => device.GetProperty("seq").GetInt64()).ToList();
        Assert.All(numbers, seq => Assert.True(seq > since));
        Assert.Equal(numbers.Order(), numbers);
        Assert.Equal(numbers.Distinct().Count(), numbers.Count);
        Assert.All(plainLive, device => Assert.False(device.TryGetProperty("seq", out _)));
    }

    [Fact]
    public async Task Resuming_from_a_number_the_journal_does_not_hold_says_gap_then_gives_every_current_state()
    {
        await SetRelayAsync("1_02", 1);
        var last = LastOf(await HistoryAsync("relay", "1_02", "")).GetProperty("seq").GetInt64();
        using var socket = await ConnectAsync();
        await WebSocketText.SendAsync(socket, """{"cmd": "filter", "devices": ["relay"]}""");

        await WebSocketText.SendAsync(socket, $$"""{"cmd": "resume", "since": {{last + 1_000_000}}}""");
        using var gap = JsonDocument.Parse(await WebSocketText.ReceiveAsync(socket, Soon));
        using var states = JsonDocument.Parse(await WebSocketText.ReceiveAsync(socket, Soon));

        Assert.Equal("gap", gap.RootElement.GetProperty("cmd").GetString());
        Assert.Equal(last + 1_000_000, gap.RootElement.GetProperty("since").GetInt64());
        var relay = states.RootElement.EnumerateArray().Single(device => device.GetProperty("circuit").GetString() == "1_02");
        Assert.Equal(1, relay.GetProperty("value").GetInt32());
        Assert.True(relay.GetProperty("seq").GetInt64() >= last);
        Assert.All(states.RootElement.EnumerateArray(), device => Assert.Equal("relay", device.GetProperty("dev").GetString()));
    }

    [Fact]
    public async Task Journal_numbers_keep_growing_across_a_restart_and_the_history_is_still_there()
    {
        await SetRelayAsync("2_04", 1);
        var before = LastOf(await HistoryAsync("relay", "2_04", "")).GetProperty("seq").GetInt64();

        await site.RestartSiloAsync();
        await SetRelayAsync("2_04", 0);

        var entries = (await HistoryAsync("relay", "2_04", "")).GetProperty("history").EnumerateArray().ToList();
        Assert.Contains(entries, entry => entry.GetProperty("seq").GetInt64() == before);
        Assert.True(entries[^1].GetProperty("seq").GetInt64() > before);
        Assert.Equal(0, entries[^1].GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task A_client_app_resumes_from_its_number_through_a_controller_restart_in_order_then_follows_live()
    {
        await SetRelayAsync("1_04", 1);
        var since = LastOf(await HistoryAsync("relay", "1_04", "")).GetProperty("seq").GetInt64();
        await SetRelayAsync("1_04", 0);
        await site.RestartSiloAsync();
        await SetRelayAsync("1_04", 1);

        await using var client = await EvokClient.ConnectAsync(site.GatewayPort);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<(long Seq, string Circuit, int Value)>();
        var liveSet = false;
        await foreach (var page in client.WatchAsync(EvokDevices.Mask("relay"), since, cancellationToken: stop.Token))
        {
            Assert.False(page.Gap);
            foreach (var entry in page.Entries)
            {
                using var device = JsonDocument.Parse(entry.Json);
                Assert.Contains(entry.Kind, new[] { DeviceKind.RelayOutput, DeviceKind.DigitalOutput });
                seen.Add((entry.Seq, device.RootElement.GetProperty("circuit").GetString()!, device.RootElement.GetProperty("value").GetInt32()));
            }

            var ours = seen.Where(change => change.Circuit == "1_04").Select(change => change.Value).ToList();
            if (!liveSet && ours.Count >= 2 && ours[^1] == 1)
            {
                // Caught up with the journal: a change made now comes live, after the rest.
                liveSet = true;
                await SetRelayAsync("1_04", 0);
            }
            else if (liveSet && ours[^1] == 0)
            {
                break;
            }
        }

        var numbers = seen.Select(change => change.Seq).ToList();
        Assert.All(numbers, seq => Assert.True(seq > since));
        Assert.Equal(numbers.Order(), numbers);
        Assert.Equal(numbers.Distinct().Count(), numbers.Count);
        // Before the restart, the restart's first scan (the same state again), the write after it, the live one.
        Assert.Equal([0, 0, 1, 0], seen.Where(change => change.Circuit == "1_04").Select(change => change.Value));
    }

    [Fact]
    public async Task A_client_app_resuming_from_a_number_the_journal_does_not_hold_is_told_of_the_gap()
    {
        await using var client = await EvokClient.ConnectAsync(site.GatewayPort);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        const long since = 1_000_000_000;

        await using var pages = client.WatchAsync(EvokDevices.Mask("relay"), since, cancellationToken: stop.Token).GetAsyncEnumerator(stop.Token);

        Assert.True(await pages.MoveNextAsync());
        Assert.True(pages.Current.Gap);
        Assert.Empty(pages.Current.Entries);
        Assert.True(pages.Current.Through < since);
    }

    private static JsonElement LastOf(JsonElement history) => history.GetProperty("history").EnumerateArray().Last();

    private async Task SetRelayAsync(string circuit, int value)
    {
        using var response = await site.Http.PostAsync($"rest/relay/{circuit}", new FormUrlEncodedContent([new("value", value.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        response.EnsureSuccessStatusCode();

        // The write's change is in the journal once the history shows it.
        await Eventually.TrueAsync(async () =>
        {
            var history = (await HistoryAsync("relay", circuit, "")).GetProperty("history").EnumerateArray().ToList();
            return history.Count > 0 && history[^1].GetProperty("value").GetInt32() == value;
        }, Soon, $"relay {circuit} = {value} in the journal");
    }

    private async Task<JsonElement> HistoryAsync(string type, string circuit, string query)
    {
        using var response = await site.Http.GetAsync($"rest/{type}/{circuit}/history{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{site.ApiPort}/ws"), CancellationToken.None);
        return socket;
    }

    /// <summary>Device objects received until one is relay <paramref name="circuit"/> with <paramref name="value"/>.</summary>
    private static async Task<List<JsonElement>> ReceiveUntilAsync(ClientWebSocket socket, string circuit, int value)
    {
        var devices = new List<JsonElement>();
        while (true)
        {
            using var message = JsonDocument.Parse(await WebSocketText.ReceiveAsync(socket, Soon));
            foreach (var device in message.RootElement.EnumerateArray())
            {
                devices.Add(device.Clone());
                if (device.GetProperty("circuit").GetString() == circuit && device.GetProperty("value").GetInt32() == value)
                {
                    return devices;
                }
            }
        }
    }
}

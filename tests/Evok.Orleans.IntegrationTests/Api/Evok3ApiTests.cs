using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Api;

/// <summary>
/// The rest of Evok 3's API, each request as Evok's documentation and OpenAPI file (<c>docs/apis/</c>,
/// <c>Evok_API_OAS.yaml</c>) and its handlers (<c>evok.py</c>, <c>rpc_handler.py</c>) have it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class Evok3ApiTests(ApiSite site)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Type_all_property_answers_each_circuit_with_that_property_alone()
    {
        var all = Parse(await site.Http.GetStringAsync("rest/di/all"));
        var values = Parse(await site.Http.GetStringAsync("rest/di/all/value"));
        var debounces = Parse(await site.Http.GetStringAsync("json/input/all/debounce"));

        Assert.Equal(all.GetArrayLength(), values.GetArrayLength());
        Assert.Equal(
            all.EnumerateArray().Select(device => $"{device.GetProperty("circuit").GetString()}={device.GetProperty("value").GetRawText()}"),
            values.EnumerateArray().Select(device => $"{device.GetProperty("circuit").GetString()}={device.GetProperty("value").GetRawText()}"));
        Assert.All(values.EnumerateArray(), device => Assert.Equal(["circuit", "value"], device.EnumerateObject().Select(property => property.Name)));
        Assert.Equal(all.GetArrayLength(), debounces.GetArrayLength());
        using var unknown = await site.Http.GetAsync("rest/di/all/no_such_property");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.StartsWith("""{"success": false, "errors": {"no_such_property": """, await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trailing_slash_as_Unipis_page_sends_it_reaches_the_same_endpoint()
    {
        Assert.Equal(await site.Http.GetStringAsync("rest/ao/1_01"), await site.Http.GetStringAsync("rest/ao/1_01/"));
        Assert.Equal(await site.Http.GetStringAsync("version"), await site.Http.GetStringAsync("version/"));
        Assert.StartsWith("[", await site.Http.GetStringAsync("rest/all/"), StringComparison.Ordinal);

        using var set = await site.Http.PostAsync("rest/led/1_03/", new FormUrlEncodedContent([new("value", "1")]));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.True(site.Simulator[1].GetCoil(8 + 2));
        using var reset = await site.Http.PostAsync("json/led/1_03/", Json("""{"value": 0}"""));
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.False(site.Simulator[1].GetCoil(8 + 2));
    }

    [Fact]
    public async Task Post_to_a_circuits_alias_sets_it_as_Evoks_documented_alias_call_does()
    {
        using var set = await site.Http.PostAsync("rest/led/1_03/alias", new FormUrlEncodedContent([new("alias", "debug-led")]));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.StartsWith("""{"success": true, "result": {"dev": "led", "circuit": "1_03",""", await set.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("1_03", Parse(await site.Http.GetStringAsync("rest/led/debug-led")).GetProperty("circuit").GetString());

        using var cleared = await site.Http.PostAsync("json/led/1_03/alias", Json("""{"alias": ""}"""));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.DoesNotContain("alias", await site.Http.GetStringAsync("rest/led/1_03"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_group_queries_filter_by_group_and_global_device_id_and_group_assignments_take_evoks_device_type()
    {
        var response = await site.Http.PostAsync("bulk", Json("""
            {"group_queries": [{"device_types": ["di"], "group": 2},
                               {"device_types": ["ai", "ao"], "global_device_id": 2},
                               {"device_types": ["di"], "group": "1", "device_circuits": ["1_02"]}],
             "group_assignments": [{"device_type": "led", "group": 1, "device_circuits": ["1_03"], "assigned_values": {"value": 1}}]}
            """));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = Parse(body);

        // Evok answers the sections themselves, not inside {"success", "result"}.
        Assert.Equal(["group_queries", "group_assignments"], answer.EnumerateObject().Select(section => section.Name));
        var queries = answer.GetProperty("group_queries");
        Assert.NotEmpty(queries[0].EnumerateArray());
        Assert.All(queries[0].EnumerateArray(), device => Assert.StartsWith("2_", device.GetProperty("circuit").GetString(), StringComparison.Ordinal));
        Assert.Equal(
            ["ai:1_01", "ao:1_01"],
            queries[1].EnumerateArray().Select(device => $"{device.GetProperty("dev").GetString()}:{device.GetProperty("circuit").GetString()}").Order());
        Assert.Equal("1_02", Assert.Single(queries[2].EnumerateArray()).GetProperty("circuit").GetString());
        Assert.Equal("1_03", Assert.Single(answer.GetProperty("group_assignments")[0].EnumerateArray()).GetProperty("circuit").GetString());
        Assert.True(site.Simulator[1].GetCoil(8 + 2));
        (await site.Http.PostAsync("rest/led/1_03", new FormUrlEncodedContent([new("value", "0")]))).Dispose();
    }

    [Fact]
    public async Task Websocket_commands_that_name_a_device_method_write_as_evok_calls_them()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{site.ApiPort}/ws"), CancellationToken.None);
        await WebSocketText.SendAsync(socket, """{"cmd": "filter", "devices": ["led", "ao"]}""");

        await WebSocketText.SendAsync(socket, """{"cmd": "set", "dev": "led", "circuit": "1_03", "value": {"value": 1}}""");
        await Eventually.TrueAsync(() => Task.FromResult(site.Simulator[1].GetCoil(8 + 2)), Soon, "set with a value object switches the LED on");
        await WebSocketText.SendAsync(socket, """{"cmd": "set_state", "dev": "led", "circuit": "1_03", "value": 0}""");
        await Eventually.TrueAsync(() => Task.FromResult(!site.Simulator[1].GetCoil(8 + 2)), Soon, "set_state switches the LED off");
        await WebSocketText.SendAsync(socket, """{"cmd": "get", "dev": "led", "circuit": "1_03"}""");
        await WebSocketText.SendAsync(socket, """{"cmd": "set_value", "dev": "ao", "circuit": "2_04", "value": 3.5}""");
        await Eventually.TrueAsync(async () => (await site.Http.GetStringAsync("rest/ao/2_04")).Contains("\"value\": 3.5", StringComparison.Ordinal), Soon, "set_value sets the AO");

        // The connection lives through them all and still answers full.
        await WebSocketText.SendAsync(socket, """{"cmd": "full", "dev": "led", "circuit": "1_03"}""");
        string reply;
        do
        {
            reply = await WebSocketText.ReceiveAsync(socket, Soon);
        }
        while (reply.StartsWith("[", StringComparison.Ordinal));

        Assert.StartsWith("""{"dev": "led", "circuit": "1_03", "value": 0""", reply, StringComparison.Ordinal);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task Rpc_answers_evoks_methods_with_evoks_results()
    {
        var input = await RpcAsync("""{"jsonrpc": "2.0", "id": 0, "method": "input_get", "params": ["1_01"]}""");
        var di = Parse(await site.Http.GetStringAsync("rest/di/1_01"));
        Assert.Equal($"[{di.GetProperty("value").GetRawText()},{di.GetProperty("debounce").GetRawText()}]", input.GetProperty("result").GetRawText());
        Assert.Equal(0, input.GetProperty("id").GetInt32());

        var set = await RpcAsync("""{"jsonrpc": "2.0", "id": "a", "method": "relay_set", "params": {"circuit": "2_05", "value": 1}}""");
        Assert.Equal(1, set.GetProperty("result").GetInt32());
        Assert.True(site.Simulator[2].GetCoil(4));
        Assert.Equal(1, (await RpcAsync("""{"jsonrpc": "2.0", "id": 1, "method": "relay_get", "params": ["2_05"]}""")).GetProperty("result").GetInt32());
        Assert.Equal(0, (await RpcAsync("""{"jsonrpc": "2.0", "id": 2, "method": "relay_set", "params": ["2_05", "0"]}""")).GetProperty("result").GetInt32());
        Assert.False(site.Simulator[2].GetCoil(4));

        Assert.Equal(2.5, (await RpcAsync("""{"jsonrpc": "2.0", "id": 3, "method": "ao_set_value", "params": ["2_04", 2.5]}""")).GetProperty("result").GetDouble());
        Assert.Contains("\"value\": 2.5", await site.Http.GetStringAsync("rest/ao/2_04"), StringComparison.Ordinal);

        // Timed: on now, pending, back off after the time.
        Assert.Equal(1, (await RpcAsync("""{"jsonrpc": "2.0", "id": 4, "method": "relay_set_for_time", "params": ["2_05", 1, 1]}""")).GetProperty("result").GetInt32());
        Assert.True(site.Simulator[2].GetCoil(4));
        await Eventually.TrueAsync(() => Task.FromResult(!site.Simulator[2].GetCoil(4)), TimeSpan.FromSeconds(10), "the relay switches back after its time");
    }

    [Fact]
    public async Task Rpc_refuses_what_it_cannot_do_with_json_rpc_errors_and_answers_batches_and_notifications()
    {
        var before = site.Simulator[2].GetCoil(4);
        Assert.Equal(-32601, Code(await RpcAsync("""{"jsonrpc": "2.0", "id": 5, "method": "reboot", "params": []}""")));
        Assert.Equal("Method 'reboot' not found!", (await RpcAsync("""{"jsonrpc": "2.0", "id": 5, "method": "reboot"}""")).GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(-32602, Code(await RpcAsync("""{"jsonrpc": "2.0", "id": 6, "method": "relay_set", "params": ["9_99", 1]}""")));
        Assert.Equal(-32602, Code(await RpcAsync("""{"jsonrpc": "2.0", "id": 7, "method": "relay_set", "params": ["2_05"]}""")));
        Assert.Equal(-32602, Code(await RpcAsync("""{"jsonrpc": "2.0", "id": 8, "method": "relay_set", "params": ["2_05", 7]}""")));
        Assert.Equal(-32602, Code(await RpcAsync("""{"jsonrpc": "2.0", "id": 9, "method": "relay_set_for_time", "params": ["2_05", 1, 0]}""")));
        Assert.Equal(-32600, Code(await RpcAsync("""{"id": 10, "method": "relay_get", "params": ["2_05"]}""")));
        Assert.Equal(-32700, Code(await RpcAsync("""{"jsonrpc": "2.0", "id": 11, "method""")));
        Assert.Equal(before, site.Simulator[2].GetCoil(4));

        var batch = Parse(await PostRpcAsync("""
            [{"jsonrpc": "2.0", "id": 1, "method": "relay_get", "params": ["2_05"]},
             {"jsonrpc": "2.0", "method": "relay_get", "params": ["2_05"]},
             {"jsonrpc": "2.0", "id": 2, "method": "nope"}]
            """));
        Assert.Equal(2, batch.GetArrayLength());
        Assert.Equal(before ? 1 : 0, batch[0].GetProperty("result").GetInt32());
        Assert.Equal(-32601, Code(batch[1]));

        using var notification = await site.Http.PostAsync("rpc", Json("""{"jsonrpc": "2.0", "method": "relay_get", "params": ["2_05"]}"""));
        Assert.Equal(HttpStatusCode.NoContent, notification.StatusCode);
    }

    private async Task<JsonElement> RpcAsync(string request) => Parse(await PostRpcAsync(request));

    private async Task<string> PostRpcAsync(string request)
    {
        using var response = await site.Http.PostAsync("rpc", Json(request));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static int Code(JsonElement answer) => answer.GetProperty("error").GetProperty("code").GetInt32();

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

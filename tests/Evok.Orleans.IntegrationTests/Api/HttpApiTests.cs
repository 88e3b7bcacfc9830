using System.Net;
using System.Net.Http.Json;
using System.Text;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Api;

/// <summary>EVOK-COMPAT §7 as real HTTP requests against a silo backed by the simulator.</summary>
[Collection(ApiCollection.Name)]
public sealed class HttpApiTests(ApiSite site)
{
    [Fact]
    public async Task Rest_and_json_read_a_device_as_its_evok_json()
    {
        site.Simulator[2].SetCoil(2, true);
        await WaitForAsync("rest/relay/2_03", "\"value\": 1");

        var rest = await site.Http.GetStringAsync("rest/relay/2_03");
        var json = await site.Http.GetStringAsync("json/ro/2_03");

        Assert.Equal(
            """{"dev": "relay", "relay_type": "physical", "circuit": "2_03", "value": 1, "pending": false, "mode": "Simple", "modes": ["Simple"], "glob_dev_id": 3}""",
            rest);
        Assert.Equal(rest, json);
    }

    [Fact]
    public async Task A_property_read_answers_with_that_property_only()
    {
        Assert.Equal("""{"pwm_duty": 0}""", await site.Http.GetStringAsync("rest/do/1_04/pwm_duty"));
        Assert.Equal("""{"relay_type": "digital"}""", await site.Http.GetStringAsync("rest/output/1_04/relay_type"));
        Assert.Equal("""{"modes": ["Simple", "PWM"]}""", await site.Http.GetStringAsync("json/relay/1_04/modes"));
    }

    [Fact]
    public async Task Lists_hold_every_device_of_a_type_and_every_device()
    {
        var inputs = await site.Http.GetStringAsync("rest/di/all");
        var all = await site.Http.GetStringAsync("rest/all");

        Assert.Equal(8, Count(inputs, "\"dev\": \"input\""));
        Assert.Equal(0, Count(inputs, "\"dev\": \"relay\""));
        Assert.Equal(4 + 4 + 1 + 1 + 4 + 1 + 1 + 21 + 32 + 4 + 5 + 4 + 4 + 1 + 28 + 24, Count(all, "\"circuit\": ") - Count(all, "\"dev\": \"modbus_slave\"") - Count(all, "\"dev\": \"device_info\""));
        Assert.Equal(1, Count(all, "\"dev\": \"owpower\""));
        Assert.Equal(2, Count(all, "\"dev\": \"device_info\""));
        Assert.StartsWith("[{\"dev\": \"input\", \"circuit\": \"1_01\"", all, StringComparison.Ordinal);
        Assert.EndsWith("""{"dev": "device_info", "family": "unknown", "model": "13", "sn": null, "board_count": 1, "circuit": "unknown_13_None"}]""", all, StringComparison.Ordinal);
        Assert.Equal(2, Count(all, "\"dev\": \"modbus_slave\""));
    }

    [Fact]
    public async Task A_form_post_writes_the_board_and_answers_with_the_state_read_back()
    {
        var response = await site.Http.PostAsync("rest/relay/2_05", new FormUrlEncodedContent([new("value", "1")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"success": true, "result": {"dev": "relay", "relay_type": "physical", "circuit": "2_05", "value": 1, "pending": false, "mode": "Simple", "modes": ["Simple"], "glob_dev_id": 3}}""",
            await response.Content.ReadAsStringAsync());
        Assert.True(site.Simulator[2].GetCoil(4));
    }

    [Fact]
    public async Task A_json_post_writes_an_analog_output_in_volts()
    {
        var response = await site.Http.PostAsync("json/analogoutput/2_04", Json("""{"value": 7.5}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"value\": 7.5,", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3000, site.Simulator[2].GetRegister(5));
    }

    [Fact]
    public async Task An_unknown_device_is_404_with_evoks_error_json()
    {
        var response = await site.Http.GetAsync("rest/relay/9_99");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"success": false, "errors": {"DeviceNotFound": "no relay device '9_99'"}}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await site.Http.GetAsync("rest/lamp/all")).StatusCode);
    }

    [Theory]
    [InlineData("rest/relay/2_02", "value=7", "value")]
    [InlineData("rest/ao/2_02", "value=11", "value")]
    [InlineData("rest/ao/2_02", "value=abc", "value")]
    [InlineData("rest/led/1_02", "brightness=3", "brightness")]
    [InlineData("rest/di/2_01", "debounce=-5", "debounce")]
    [InlineData("rest/relay/2_02", "value=1&timeout=0", "timeout")]
    [InlineData("rest/relay/2_02", "value=1&alias=bad%20alias", "alias")]
    public async Task A_bad_value_is_400_with_the_property_named_and_nothing_written(string path, string form, string property)
    {
        var before = Snapshot();

        var response = await site.Http.PostAsync(path, new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith($"{{\"success\": false, \"errors\": {{\"{property}\": ", body, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Theory]
    [InlineData("{value: oops")]
    [InlineData("")]
    [InlineData("""{"value": 1} {"value": 0}""")]
    [InlineData("""{"value": 1} trailing""")]
    public async Task A_body_that_is_not_one_json_value_is_400(string body)
    {
        var before = Snapshot();

        var response = await site.Http.PostAsync("json/relay/2_02", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"errors\": {\"body\": ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task Bulk_runs_assignments_and_queries_and_answers_each_entry()
    {
        var response = await site.Http.PostAsync("bulk", Json("""
            {"individual_assignments": [{"device_type": "led", "device_circuit": "1_03", "assigned_values": {"value": 1}},
                                        {"device_type": "relay", "device_circuit": "9_99", "assigned_values": {"value": 1}}],
             "group_queries": [{"device_types": ["ai"], "device_circuits": ["2_01", "2_02"]}],
             "group_assignments": [{"device_types": ["register"], "device_circuits": ["1_1010", "1_1011"], "assigned_values": {"value": 15}}]}
            """));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("""{"individual_assignments": [{"dev": "led", "circuit": "1_03", "value": 1,""", body, StringComparison.Ordinal);
        Assert.Contains("""{"success": false, "errors": {"DeviceNotFound": "no relay device '9_99'"}}""", body, StringComparison.Ordinal);
        Assert.Equal(2, Count(body, "\"dev\": \"ai\""));
        Assert.True(site.Simulator[1].GetCoil(8 + 2));
        Assert.Equal(15, site.Simulator[1].GetRegister(1010));
        Assert.Equal(15, site.Simulator[1].GetRegister(1011));
    }

    [Fact]
    public async Task A_relay_with_a_timeout_is_pending_then_switches_back_by_itself()
    {
        var response = await site.Http.PostAsJsonAsync("json/relay/1_02", new { value = 1, timeout = 0.5 });

        Assert.Contains("\"value\": 1, \"pending\": true,", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await WaitForAsync("rest/relay/1_02", "\"value\": 0, \"pending\": false,");
        Assert.False(site.Simulator[1].GetCoil(1));
    }

    [Fact]
    public async Task Every_write_evok_offers_reaches_its_register()
    {
        await PostOkAsync("json/do/1_03", """{"pwm_freq": 1000, "pwm_duty": 50}""");
        await PostOkAsync("json/ao/1_01", """{"mode": "Current"}""");
        await PostOkAsync("json/ao/1_01", """{"value": 12.5}""");
        await PostOkAsync("json/ai/2_02", """{"mode": "Current"}""");
        await PostOkAsync("json/di/1_02", """{"mode": "DirectSwitch", "ds_mode": "Toggle", "debounce": 30, "counter": 12}""");
        await PostOkAsync("json/wd/2_01", """{"timeout": 2500}""");
        var counter = await PostOkAsync("json/input/1_03", """{"counter_mode": "Disabled"}""");

        var brain = site.Simulator[1];
        Assert.Equal((4, 9599), ((int)brain.GetRegister(1017), (int)brain.GetRegister(1018)));
        Assert.Equal(4800, brain.GetRegister(16 + 2));
        Assert.Equal(1, brain.GetRegister(1019));
        Assert.Equal(12.5f, BitConverter.Int32BitsToSingle(brain.GetRegister(3000) | (brain.GetRegister(3001) << 16)));
        Assert.Equal(1, site.Simulator[2].GetRegister(1020));
        Assert.Equal(0b10, brain.GetRegister(1014) & 0b10);
        Assert.Equal(0b10, brain.GetRegister(1016) & 0b10);
        Assert.Equal(30, brain.GetRegister(1011));
        Assert.Equal(12, brain.GetRegister(8 + 2));
        Assert.Equal(2500, site.Simulator[2].GetRegister(1008));
        Assert.Contains("\"counter_mode\": \"Disabled\", \"counter\": 0,", counter, StringComparison.Ordinal);
        Assert.Contains("\"mode\": \"Current\"", await site.Http.GetStringAsync("rest/ao/1_01"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_answers_a_version_string()
    {
        Assert.Matches(@"^v\d+\.\d+\.\d+$", await site.Http.GetStringAsync("version"));
    }

    private async Task<string> PostOkAsync(string path, string json)
    {
        var response = await site.Http.PostAsync(path, Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} {json}: {body}");
        return body;
    }

    private Task WaitForAsync(string path, string fragment) => ApiPolling.WaitUntilShowsAsync(site.Http, path, fragment, TimeSpan.FromSeconds(5));

    private (ushort, ushort, ushort, bool, bool) Snapshot() => (
        site.Simulator[2].GetRegister(1), site.Simulator[2].GetRegister(3), site.Simulator[2].GetRegister(1010),
        site.Simulator[2].GetCoil(1), site.Simulator[1].GetCoil(9));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static int Count(string text, string fragment) =>
        (text.Length - text.Replace(fragment, string.Empty, StringComparison.Ordinal).Length) / fragment.Length;
}

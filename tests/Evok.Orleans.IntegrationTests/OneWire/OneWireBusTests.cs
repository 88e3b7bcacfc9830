using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Client;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.OneWire;

/// <summary>
/// The whole 1-Wire path against Debian's owserver: bus search → polls → device grains → change stream → webhooks
/// and the API, with the tester adapter's fixed values (EVOK-BUSES §3) and the fake adapter's random ones.
/// </summary>
[Trait("Category", TestCategory.Peers)]
public sealed partial class OneWireBusTests
{
    private const string Tester = "--tester=28,10,26,29,3A,12,04";
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_supported_family_reads_as_Evok_reports_it()
    {
        await using var site = await OneWireSite.StartAsync(Tester);

        var all = await site.WaitForAsync("rest/sensor/all", list => list.GetArrayLength() == 6 && list.EnumerateArray().All(Read), Soon);

        var json = all.EnumerateArray().ToDictionary(device => device.GetProperty("circuit").GetString()!, device => TimeOf().Replace(device.GetRawText(), "\"time\": T"));
        Assert.Equal(
            """{"dev": "temp", "circuit": "28000028D7000011", "address": "28.000028D70000.11", "value": 4.0, "lost": false, "time": T, "interval": 0.5, "typ": "DS18B20"}""",
            json["28000028D7000011"]);
        Assert.Equal(
            """{"dev": "temp", "circuit": "10000010EF01009F", "address": "10.000010EF0100.9F", "value": 1.7, "lost": false, "time": T, "interval": 0.5, "typ": "DS18S20"}""",
            json["10000010EF01009F"]);
        Assert.Equal(
            """{"dev": "1wdevice", "circuit": "26000026D902001E", "humidity": 4.0, "vdd": 4.0, "vad": 4.0, "temp": 4.0, "vis": 4.0, "lost": false, "time": T, "interval": 0.5, "typ": "DS2438"}""",
            json["26000026D902001E"]);
        Assert.Equal(
            """{"dev": "1wdevice", "circuit": "29.000029D60300.5D", "address": "29.000029D60300.5D", "value": [0, 1, 0, 1, 0, 1, 0, 1], "lost": false, "time": T, "interval": 0.5, "typ": "DS2408"}""",
            json["29.000029D60300.5D"]);
        Assert.Equal(
            """{"dev": "1wdevice", "circuit": "3A.00003AC50400.91", "address": "3A.00003AC50400.91", "value": [0, 1], "lost": false, "time": T, "interval": 0.5, "typ": "DS2413"}""",
            json["3A.00003AC50400.91"]);
        Assert.Equal(
            """{"dev": "1wdevice", "circuit": "12.000012ED0500.96", "address": "12.000012ED0500.96", "value": [1, 0], "lost": false, "time": T, "interval": 0.5, "typ": "DS2406"}""",
            json["12.000012ED0500.96"]);

        // The DS2404 (a clock, not a sensor) is ignored, as in Evok; temp is served like sensor, as in Evok's REST.
        Assert.DoesNotContain("04000004FB06001C", json.Keys);
        Assert.Equal("DS2438", (await site.GetAsync("rest/temp/26000026D902001E")).GetProperty("typ").GetString());
        Assert.Equal(6, (await site.GetAsync("rest/temp/all")).GetArrayLength());
        var bus = await site.GetAsync("rest/owbus/OWFS");
        Assert.Equal(
            """{"dev": "owbus", "circuit": "OWFS", "bus": "via OWFS", "scan_interval": 300, "interval": 0.5, "do_scan": false, "do_reset": false, "online": true}""",
            bus.GetRawText());
        var everything = await site.GetAsync("rest/all");
        Assert.Contains(everything.EnumerateArray(), device => device.GetProperty("dev").GetString() == "temp");
        Assert.Contains(everything.EnumerateArray(), device => device.GetProperty("dev").GetString() == "owpower");
    }

    [Fact]
    public async Task Sensor_changes_reach_the_webhooks_whose_mask_names_them_and_no_others()
    {
        await using var site = await OneWireSite.StartAsync(Tester);

        var seen = new ConcurrentDictionary<string, string>();
        var deadline = DateTime.UtcNow + Soon;
        while (seen.Count < 7 && DateTime.UtcNow < deadline)
        {
            foreach (var device in Devices(await site.Sensors.NextAsync(Soon)))
            {
                seen[$"{device.GetProperty("dev").GetString()}:{device.GetProperty("circuit").GetString()}"] = device.GetRawText();
            }
        }

        Assert.Equal(
            ["1wdevice:12.000012ED0500.96", "1wdevice:26000026D902001E", "1wdevice:29.000029D60300.5D", "1wdevice:3A.00003AC50400.91", "owbus:OWFS", "temp:10000010EF01009F", "temp:28000028D7000011"],
            seen.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("\"value\": 4.0", seen["temp:28000028D7000011"], StringComparison.Ordinal);

        // The thermometer mask gets the two thermometers, once each (the tester's values never change).
        var thermometers = (await site.Thermometers.CollectAsync(TimeSpan.FromSeconds(3))).SelectMany(Devices).ToList();
        Assert.Equal(["10000010EF01009F", "28000028D7000011"], thermometers.Select(device => device.GetProperty("circuit").GetString()).Order(StringComparer.Ordinal));
        Assert.All(thermometers, device => Assert.Equal("temp", device.GetProperty("dev").GetString()));
    }

    [Fact]
    public async Task Devices_listed_in_config_are_served_under_their_names_and_one_not_on_the_bus_is_lost()
    {
        await using var site = await OneWireSite.StartAsync(Tester, devices: """
            boiler: {type: DS18B20, address: 28000028d7000011, interval: 1}
            clock: {type: ds2404, address: 04.000004FB0600.1C}
            cellar: {type: DS18B20, address: 28.0000AAAAAAAA.01}
            """);

        // The six the search finds (the boiler one of them), and the clock and the cellar, which only the file names.
        var all = await site.WaitForAsync(
            "rest/sensor/all",
            list => list.GetArrayLength() == 8 && list.EnumerateArray().All(device => device.GetProperty("time").GetDouble() > 0 || device.GetProperty("lost").GetBoolean()),
            Soon);
        var json = all.EnumerateArray().ToDictionary(device => device.GetProperty("circuit").GetString()!, device => TimeOf().Replace(device.GetRawText(), "\"time\": T"));
        Assert.Equal(
            """{"dev": "temp", "circuit": "boiler", "address": "28.000028D70000.11", "value": 4.0, "lost": false, "time": T, "interval": 1, "typ": "DS18B20"}""",
            json["boiler"]);
        Assert.Equal(
            """{"dev": "1wdevice", "circuit": "clock", "address": "04.000004FB0600.1C", "value": null, "lost": false, "time": T, "interval": 15, "typ": "DS2404"}""",
            json["clock"]);
        Assert.Equal(
            """{"dev": "temp", "circuit": "cellar", "address": "28.0000AAAAAAAA.01", "value": null, "lost": true, "time": T, "interval": 15, "typ": "DS18B20"}""",
            json["cellar"]);
        Assert.DoesNotContain("28000028D7000011", json.Keys);
        Assert.Contains("10000010EF01009F", json.Keys);
        Assert.Equal("boiler", (await site.GetAsync("rest/temp/boiler")).GetProperty("circuit").GetString());

        // A search that does not find the cellar keeps it, lost.
        Assert.Equal(HttpStatusCode.OK, (await site.Http.PostAsync("json/owbus/OWFS", Json("""{"do_scan": true}"""))).StatusCode);
        await Task.Delay(500);
        Assert.Equal(8, (await site.GetAsync("rest/sensor/all")).GetArrayLength());
        Assert.True((await site.GetAsync("rest/sensor/cellar")).GetProperty("lost").GetBoolean());
    }

    [Fact]
    public async Task A_client_app_reads_sensors_by_type_and_alias_and_watches_their_changes()
    {
        await using var site = await OneWireSite.StartAsync("--fake=28,26", interval: 0.2);
        await site.WaitForAsync("rest/sensor/all", list => list.GetArrayLength() == 2 && list.EnumerateArray().All(Read), Soon);
        await using var client = await EvokClient.ConnectAsync(site.GatewayPort);
        var thermometer = (await client.Devices.ListAsync("sensor")).OfType<ThermometerState>().Single();
        await client.Devices.SetAsync("sensor", thermometer.Circuit, new PropertyAssignment("alias", "boiler"));

        using var stop = new CancellationTokenSource(Soon);
        var changes = new List<DeviceState>();
        await foreach (var batch in client.WatchAsync(EvokDevices.Mask("temp"), stop.Token))
        {
            changes.AddRange(batch.Changes.Select(change => change.State));
            if (changes.Count >= 3)
            {
                break;
            }
        }

        Assert.All(changes, state => Assert.Equal(thermometer.Circuit, Assert.IsType<ThermometerState>(state).Circuit));
        Assert.Equal("boiler", (await client.Devices.GetAsync("temp", "boiler")).Alias);
        Assert.IsType<MultiSensorState>(Assert.Single(await client.Devices.ListAsync("1wdevice")));
    }

    [Fact]
    public async Task A_switch_output_is_written_through_owserver_and_bad_writes_get_Evok_errors()
    {
        await using var site = await OneWireSite.StartAsync(Tester);
        await site.WaitForAsync("rest/sensor/all", list => list.EnumerateArray().All(Read) && list.GetArrayLength() == 6, Soon);

        var written = await site.Http.PostAsync("rest/sensor/29.000029D60300.5D", Form(("pio", "3"), ("value", "1")));
        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        Assert.StartsWith("""{"success": true, "result": {"dev": "1wdevice", "circuit": "29.000029D60300.5D",""", await written.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var lettered = await site.Http.PostAsync("json/1wdevice/3A.00003AC50400.91", Json("""{"pio": "B", "value": 0}"""));
        Assert.Equal(HttpStatusCode.OK, lettered.StatusCode);

        var badChannel = await site.Http.PostAsync("rest/sensor/3A.00003AC50400.91", Form(("pio", "5"), ("value", "1")));
        Assert.Equal(HttpStatusCode.BadRequest, badChannel.StatusCode);
        Assert.Contains("pio must be one of A, B", await badChannel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var thermometerOutput = await site.Http.PostAsync("rest/sensor/28000028D7000011", Form(("pio", "0"), ("value", "1")));
        Assert.Equal(HttpStatusCode.BadRequest, thermometerOutput.StatusCode);
        var noChannel = await site.Http.PostAsync("rest/sensor/29.000029D60300.5D", Form(("value", "1")));
        Assert.Equal(HttpStatusCode.BadRequest, noChannel.StatusCode);

        var interval = await site.Http.PostAsync("rest/sensor/28000028D7000011", Form(("interval", "7")));
        Assert.Contains("\"interval\": 7", await interval.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var alias = await site.Http.PostAsync("rest/sensor/28000028D7000011", Form(("alias", "kitchen")));
        Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
        Assert.Equal("28.000028D70000.11", (await site.GetAsync("rest/temp/kitchen")).GetProperty("address").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await site.Http.GetAsync("rest/temp/28000028D70000FF")).StatusCode);
    }

    [Fact]
    public async Task Owserver_going_away_makes_each_sensor_lost_once_and_a_restart_brings_them_back_with_a_new_family()
    {
        await using var site = await OneWireSite.StartAsync("--fake=28,10", scanInterval: 2);
        await site.WaitForAsync("rest/sensor/all", list => list.GetArrayLength() == 2 && list.EnumerateArray().All(Read), Soon);

        await site.StopOwserverAsync();
        var bus = await site.WaitForAsync("rest/owbus/OWFS", state => !state.GetProperty("online").GetBoolean(), Soon);
        await site.WaitForAsync("rest/sensor/all", list => list.EnumerateArray().All(device => device.GetProperty("lost").GetBoolean()), Soon);
        var outage = (await site.Sensors.CollectAsync(TimeSpan.FromSeconds(3))).SelectMany(Devices).ToList();
        var lostEvents = outage.Where(device => device.TryGetProperty("lost", out var lost) && lost.GetBoolean()).ToList();
        Assert.Equal(2, lostEvents.Count(device => device.GetProperty("dev").GetString() == "temp"));
        Assert.Contains(outage, device => device.GetProperty("dev").GetString() == "owbus" && !device.GetProperty("online").GetBoolean());
        Assert.False(bus.GetProperty("online").GetBoolean());

        await site.StartOwserverAsync("--fake=28,10,26");
        var back = await site.WaitForAsync(
            "rest/sensor/all", list => list.GetArrayLength() == 3 && list.EnumerateArray().All(device => Read(device) && !device.GetProperty("lost").GetBoolean()), Soon);
        Assert.Contains(back.EnumerateArray(), device => device.GetProperty("typ").GetString() == "DS2438");
        Assert.True((await site.GetAsync("rest/owbus/OWFS")).GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task A_bus_whose_owserver_is_not_running_at_start_is_offline_and_picked_up_when_it_appears()
    {
        await using var site = await OneWireSite.StartAsync(adapter: null);

        var offline = await site.WaitForAsync("rest/owbus/OWFS", _ => true, Soon);
        Assert.False(offline.GetProperty("online").GetBoolean());
        Assert.Equal(0, (await site.GetAsync("rest/sensor/all")).GetArrayLength());
        await site.WaitForAsync("rest/di/1_01", input => input.GetProperty("dev").GetString() == "input", Soon);

        await site.StartOwserverAsync("--tester=28");
        await site.WaitForAsync("rest/owbus/OWFS", state => state.GetProperty("online").GetBoolean(), Soon);
        await site.WaitForAsync("rest/sensor/all", list => list.GetArrayLength() == 1 && Read(list[0]), Soon);
    }

    [Fact]
    public async Task Do_reset_pulses_the_owpower_coil_and_bus_settings_apply_to_every_sensor()
    {
        await using var site = await OneWireSite.StartAsync(Tester);
        await site.WaitForAsync("rest/sensor/all", list => list.GetArrayLength() == 6, Soon);
        var board = site.Neuron[1];
        var highSeen = false;
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                highSeen |= board.GetCoil(1001);
                await Task.Delay(5);
            }
        });

        var reset = await site.Http.PostAsync("json/owbus/OWFS", Json("""{"do_reset": true}"""));
        await watching.CancelAsync();
        await watcher;

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.True(highSeen, "coil 1001 was never seen on during the reset pulse");
        Assert.False(board.GetCoil(1001));
        var power = await site.GetAsync("rest/owpower/1");
        Assert.Equal(("owpower", "1", 0), (power.GetProperty("dev").GetString(), power.GetProperty("circuit").GetString(), power.GetProperty("value").GetInt32()));

        var settings = await site.Http.PostAsync("json/owbus/OWFS", Json("""{"interval": 2, "scan_interval": 0}"""));
        Assert.Contains("\"scan_interval\": 3600, \"interval\": 2", await settings.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.All((await site.GetAsync("rest/sensor/all")).EnumerateArray(), device => Assert.Equal(2, device.GetProperty("interval").GetDouble()));
        var bad = await site.Http.PostAsync("json/owbus/OWFS", Json("""{"do_scan": "maybe"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    /// <summary>Whether a device has been read: its value (or a DS2438's temperature) is no longer null.</summary>
    private static bool Read(JsonElement device) =>
        device.TryGetProperty("value", out var value) ? value.ValueKind != JsonValueKind.Null : device.GetProperty("temp").ValueKind != JsonValueKind.Null;

    private static IEnumerable<JsonElement> Devices(ReceivedRequest request) => JsonDocument.Parse(request.Body).RootElement.Clone().EnumerateArray();

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(field => KeyValuePair.Create(field.Key, field.Value)));

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    [GeneratedRegex(@"""time"": [0-9.]+")]
    private static partial Regex TimeOf();
}

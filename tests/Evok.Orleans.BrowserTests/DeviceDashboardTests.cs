using System.Text.Json;
using Microsoft.Playwright;

namespace Evok.Orleans.BrowserTests;

/// <summary>The device dashboard in a real headless Chromium, against a silo polling the simulator.</summary>
public sealed class DeviceDashboardTests(DashboardSite site) : IClassFixture<DashboardSite>
{
    private static readonly LocatorAssertionsToBeVisibleOptions WithinASecond = new() { Timeout = 1_000 };

    [Fact]
    public async Task The_page_shows_the_boards_and_follows_the_hardware_both_ways()
    {
        var page = await site.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        await page.GotoAsync(site.Address + "/");

        // Both boards of the simulated Neuron, with their models.
        await Assertions.Expect(page.Locator(".board[data-board='1'] .meta")).ToContainTextAsync("model 00");
        await Assertions.Expect(page.Locator(".board[data-board='2'] .meta")).ToContainTextAsync("model 13");

        // A click asks the controller; the toggle shows on only when the board's change comes back as an event.
        await page.Locator("[data-key='relay:2_04'] .switch").ClickAsync();
        await Assertions.Expect(page.Locator("[data-key='relay:2_04'] .switch")).ToHaveAttributeAsync("aria-checked", "true");
        Assert.True(site.Simulator[2].GetCoil(3));

        // The analog output control writes volts; the board's register holds 4 V / 2.5 mV.
        var output = page.Locator("[data-key='ao:2_02'] input[type=number]");
        await output.FillAsync("4");
        await output.DispatchEventAsync("change");
        await Assertions.Expect(page.Locator("[data-key='ao:2_02'] input[type=number]")).ToHaveValueAsync("4");
        Assert.Equal(1600, site.Simulator[2].GetRegister(3));

        // A digital input driven on the board shows within a second.
        site.Simulator[2].SetDigitalInput(3, true);
        await Assertions.Expect(page.Locator("[data-key='input:2_03'] .dot.on")).ToBeVisibleAsync(WithinASecond);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "dashboard.png"), FullPage = true });
        Assert.True(new FileInfo(Path.Combine(AppContext.BaseDirectory, "dashboard.png")).Length > 10_000);
    }

    [Fact]
    public async Task A_circuits_history_is_plotted_from_the_journal_and_grows_live_as_changes_come()
    {
        // An analog input that moved before the page was opened: its changes are in the journal only.
        foreach (var volts in new[] { 2.5f, 7.25f, 4f })
        {
            site.Simulator[1].SetAnalogInput(1, volts);
            await Task.Delay(300);
        }

        var page = await site.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        await page.GotoAsync(site.Address + "/");
        await page.Locator("[data-key='ai:1_01'] .history-button").ClickAsync();

        await Assertions.Expect(page.Locator("#history-title")).ToContainTextAsync("ai 1_01");
        var trace = page.Locator("#history-plot .trace");
        await Assertions.Expect(page.Locator("#history-caption")).ToContainTextAsync("changes, the last 4");
        var plotted = int.Parse((await trace.GetAttributeAsync("data-points"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(plotted >= 3, $"{plotted} points");
        Assert.Matches(@"^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+H[\d.]+$", await trace.GetAttributeAsync("d"));
        await Assertions.Expect(page.Locator("#history-plot text").First).ToHaveTextAsync("7.25");

        // A change while it is shown is added live, and the scale follows it.
        site.Simulator[1].SetAnalogInput(1, 9.5f);
        await Assertions.Expect(page.Locator("#history-caption")).ToContainTextAsync("the last 9.5");
        await Assertions.Expect(trace).ToHaveAttributeAsync("data-points", (plotted + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#history-plot text").First).ToHaveTextAsync("9.5");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "history-analog.png"), FullPage = true });

        // A relay is an on/off timeline: steps only, from off to on, held up to now.
        await page.Locator("[data-key='relay:2_05'] .history-button").ClickAsync();
        await Assertions.Expect(page.Locator("#history-title")).ToContainTextAsync("relay 2_05");
        await page.Locator("[data-key='relay:2_05'] .switch").ClickAsync();
        await Assertions.Expect(page.Locator("#history-caption")).ToContainTextAsync("the last on");
        Assert.Matches(@"^M[\d.]+,[\d.]+(H[\d.]+V[\d.]+)+H[\d.]+$", await trace.GetAttributeAsync("d"));
        await Assertions.Expect(page.Locator("#history-plot text").First).ToHaveTextAsync("on");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "history.png"), FullPage = true });
        Assert.True(new FileInfo(Path.Combine(AppContext.BaseDirectory, "history.png")).Length > 10_000);
    }

    [Fact]
    public async Task A_board_whose_modbus_server_stops_is_shown_offline_and_online_again()
    {
        var page = await site.Browser.NewPageAsync();
        await page.GotoAsync(site.Address + "/devices");
        await Assertions.Expect(page.Locator(".board[data-board='1'] .comm")).ToHaveTextAsync("online");

        await site.Simulator.StopAsync();
        try
        {
            await Assertions.Expect(page.Locator(".board[data-board='1']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("offline"), new() { Timeout = 10_000 });
            await Assertions.Expect(page.Locator(".board[data-board='1'] .comm")).ToHaveTextAsync("offline");
        }
        finally
        {
            site.Simulator.Start();
        }

        await Assertions.Expect(page.Locator(".board[data-board='1'] .comm")).ToHaveTextAsync("online");
    }

    [Fact]
    public async Task A_silo_restart_shows_the_disconnected_banner_then_reloads_the_devices()
    {
        var page = await site.Browser.NewPageAsync();
        await page.GotoAsync(site.Address + "/");
        await Assertions.Expect(page.Locator("[data-key='led:1_01']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#banner")).ToBeHiddenAsync();

        await site.StopSiloAsync();
        await Assertions.Expect(page.Locator("#banner")).ToBeVisibleAsync();
        site.Simulator[1].SetCoil(8, true);
        await site.StartSiloAsync();

        await Assertions.Expect(page.Locator("#banner")).ToBeHiddenAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-key='led:1_01'] .switch")).ToHaveAttributeAsync("aria-checked", "true");
    }

    [Fact]
    public async Task The_orleans_dashboard_answers_and_its_counters_list_the_circuit_grains_in_use()
    {
        using var http = new HttpClient { BaseAddress = new Uri(site.Address) };

        // Circuit grains are activated on demand: a write through the API activates the circuit's grain (a read goes
        // to the site grain, which reads the board's poller directly).
        (await http.PostAsync("/rest/relay/2_01", new FormUrlEncodedContent([new("value", "0")]))).EnsureSuccessStatusCode();
        (await http.PostAsync("/rest/ao/2_04", new FormUrlEncodedContent([new("value", "0")]))).EnsureSuccessStatusCode();
        var page = await http.GetAsync("/orleans/");
        var grainTypes = new HashSet<string?>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!grainTypes.Contains("Evok.Orleans.Grains.Circuits.AnalogOutputGrain") && DateTime.UtcNow < deadline)
        {
            // The dashboard refreshes its counters on a timer.
            await Task.Delay(250);
            using var counters = JsonDocument.Parse(await http.GetStringAsync("/orleans/DashboardCounters"));
            grainTypes = counters.RootElement.GetProperty("simpleGrainStats").EnumerateArray()
                .Select(stat => stat.GetProperty("grainType").GetString()).ToHashSet();
        }

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Evok.Orleans.Grains.Circuits.RelayGrain", grainTypes);
        Assert.Contains("Evok.Orleans.Grains.Circuits.AnalogOutputGrain", grainTypes);
        Assert.Contains("Evok.Orleans.Grains.Polling.ModbusDevicePollerGrain", grainTypes);
    }
}

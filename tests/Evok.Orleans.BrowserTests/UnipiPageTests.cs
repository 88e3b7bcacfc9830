using System.Text.Json;
using Microsoft.Playwright;

namespace Evok.Orleans.BrowserTests;

/// <summary>
/// Unipi's own web page (evok-web-jq), unchanged, behind its own nginx site on port 80, on a stock Evok 3 controller's
/// files: it lists every board's circuits, follows changes live over <c>/ws</c>, switches outputs and sets an AO, by
/// every name a user reaches the controller by. A page of another site still switches nothing.
/// </summary>
public sealed class UnipiPageTests(UnipiPageSite site) : IClassFixture<UnipiPageSite>
{
    private static readonly LocatorAssertionsToHaveTextOptions WithinTwoSeconds = new() { Timeout = 2_000 };

    [Fact]
    public async Task The_page_lists_every_circuit_follows_changes_live_and_switches_and_sets_outputs()
    {
        var page = await OpenAsync("127.0.0.1");

        // Every circuit the API serves has its row, in Evok 3's names (the page knows no others).
        using var all = JsonDocument.Parse(await site.Api.GetStringAsync("rest/all"));
        foreach (var dev in new[] { "di", "ro", "do", "ai", "ao", "led" })
        {
            var circuits = all.RootElement.EnumerateArray().Where(device => device.GetProperty("dev").GetString() == dev).Select(device => device.GetProperty("circuit").GetString()).ToList();
            Assert.NotEmpty(circuits);
            Assert.Equal(circuits.Count, await page.Locator($"[id^='unipi_{dev}_'][id$='_value']").CountAsync());
        }

        // A digital input driven on the board shows, pushed over the WebSocket through nginx.
        await Assertions.Expect(page.Locator("#unipi_di_2_03_value")).ToHaveTextAsync("Off");
        site.Simulator[2].SetDigitalInput(3, true);
        await Assertions.Expect(page.Locator("#unipi_di_2_03_value")).ToHaveTextAsync("On", WithinTwoSeconds);
        site.Simulator[2].SetDigitalInput(3, false);
        await Assertions.Expect(page.Locator("#unipi_di_2_03_value")).ToHaveTextAsync("Off", WithinTwoSeconds);

        // The outputs tab: a relay, a digital output and an LED switch the board.
        await page.Locator("a[href='#outputs']").ClickAsync();
        await FlipAsync(page, "ro", "2_05", () => site.Simulator[2].GetCoil(4));
        await FlipAsync(page, "do", "1_04", () => site.Simulator[1].GetCoil(3));
        await FlipAsync(page, "led", "1_04", () => site.Simulator[1].GetCoil(8 + 3));

        // The AO slider: a click half-way along its 0–10 V track sets about 5 V on the board.
        var track = page.Locator("#unipi_ao_2_01_value").Locator("xpath=following-sibling::div[contains(@class,'ui-slider-track')]");
        var box = (await track.BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await Eventually(async () => AnalogValue(await site.Api.GetStringAsync("rest/ao/2_01")) is > 4 and < 6, "the AO is set to about 5 V");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "unipi-page.png"), FullPage = true });
        Assert.True(new FileInfo(Path.Combine(AppContext.BaseDirectory, "unipi-page.png")).Length > 10_000);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task The_page_switches_a_relay_whatever_name_reaches_the_controller(string name, string relay, int coil)
    {
        var page = await OpenAsync(name);
        await page.Locator("a[href='#outputs']").ClickAsync();

        await FlipAsync(page, "ro", relay, () => site.Simulator[2].GetCoil(coil));
    }

    public static TheoryData<string, string, int> Names() => new()
    {
        { UnipiPageSite.Names[0], "2_01", 0 },
        { UnipiPageSite.Names[1], "2_02", 1 },
        { UnipiPageSite.Names[2], "2_03", 2 },
    };

    [Fact]
    public async Task A_page_of_another_site_cannot_switch_through_the_controllers_page_proxy()
    {
        var page = await site.Browser.NewPageAsync();
        await page.RouteAsync("http://evil.example/", route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = "<html><body>evil</body></html>" }));
        await page.GotoAsync("http://evil.example/");

        var before = site.Simulator[2].GetCoil(3);
        var status = await page.EvaluateAsync<int>("""
            async () => (await fetch('http://127.0.0.1/rest/ro/2_04', {method: 'POST', mode: 'cors', headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'value=' + 1}).catch(() => ({status: 0}))).status
            """);
        var socket = await page.EvaluateAsync<string>("""
            () => new Promise(done => { const ws = new WebSocket('ws://127.0.0.1/ws'); ws.onopen = () => done('open'); ws.onerror = () => done('refused'); })
            """);

        // The POST is refused (403, or no readable answer: the browser hides a cross-origin error's status) and
        // switches nothing; the WebSocket handshake is refused.
        Assert.True(status is 0 or 403, $"status {status}");
        Assert.Equal("refused", socket);
        await Task.Delay(300);
        Assert.Equal(before, site.Simulator[2].GetCoil(3));
    }

    /// <summary>Opens the page and waits until it has bound its controls (its second <c>/rest/all</c>, after <c>/ws</c> opened).</summary>
    private async Task<IPage> OpenAsync(string name)
    {
        var page = await site.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 900, Height = 1400 } });
        var loads = 0;
        page.Response += (_, response) =>
        {
            if (response.Url.EndsWith("/rest/all", StringComparison.Ordinal) && response.Status == 200)
            {
                Interlocked.Increment(ref loads);
            }
        };
        await page.GotoAsync($"http://{name}/");
        await Eventually(() => Task.FromResult(Volatile.Read(ref loads) >= 2), $"the page at http://{name}/ loads the devices and opens its WebSocket");
        await Assertions.Expect(page.Locator("#unipi_ro_2_01_value")).ToHaveCountAsync(1);
        return page;
    }

    /// <summary>Clicks a circuit's on/off switch and waits for the board's coil, then switches it back off.</summary>
    private static async Task FlipAsync(IPage page, string dev, string circuit, Func<bool> coil)
    {
        var flipswitch = page.Locator($"#unipi_{dev}_{circuit}_value").Locator("xpath=..");
        Assert.False(coil(), $"{dev} {circuit} starts off");
        await flipswitch.ClickAsync();
        await Eventually(() => Task.FromResult(coil()), $"{dev} {circuit} switched on from the page");
        await Assertions.Expect(page.Locator($"#unipi_{dev}_{circuit}_value")).ToHaveValueAsync("1");
        await flipswitch.ClickAsync();
        await Eventually(() => Task.FromResult(!coil()), $"{dev} {circuit} switched off from the page");
    }

    private static double AnalogValue(string json) => JsonDocument.Parse(json).RootElement.GetProperty("value").GetDouble();

    private static Task Eventually(Func<Task<bool>> condition, string what) =>
        Evok.Orleans.TestSupport.Eventually.TrueAsync(condition, TimeSpan.FromSeconds(5), what);
}

using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;
using Microsoft.Playwright;

namespace Evok.Orleans.BrowserTests;

/// <summary>
/// The device dashboard of one controller of a site of two (silos joined through a real redis-server) shows and
/// switches the other controller's devices, picked from the site's controllers.
/// </summary>
public sealed class SiteDashboardTests
{
    [Fact]
    public async Task The_dashboard_of_one_controller_shows_and_switches_another_controllers_devices()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var plc1Board = SimulatedSite.CreateNeuron();
        await using var plc2Board = SimulatedSite.CreateNeuron();
        plc1Board.Start();
        plc2Board.Start();
        var plc1Api = FreeTcpPort.Next();
        await using var plc1 = await StartAsync("plc1", plc1Board, plc1Api, redis);
        await using var plc2 = await StartAsync("plc2", plc2Board, FreeTcpPort.Next(), redis);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{plc1Api}/");

        // The picker lists both controllers, this one chosen; choosing plc2 shows plc2's boards through plc1.
        await Assertions.Expect(page.Locator("#node option")).ToHaveCountAsync(2);
        await page.Locator("#node").SelectOptionAsync("plc2");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("\\?node=plc2$"), new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator(".board[data-board='2'] .meta")).ToContainTextAsync("model 13");

        // A click switches plc2's relay, not plc1's; an input driven on plc2's board shows.
        await page.Locator("[data-key='relay:2_04'] .switch").ClickAsync();
        await Assertions.Expect(page.Locator("[data-key='relay:2_04'] .switch")).ToHaveAttributeAsync("aria-checked", "true");
        Assert.True(plc2Board[2].GetCoil(3));
        Assert.False(plc1Board[2].GetCoil(3));
        plc2Board[2].SetDigitalInput(3, true);
        await Assertions.Expect(page.Locator("[data-key='input:2_03'] .dot.on")).ToBeVisibleAsync(new() { Timeout = 5_000 });
    }

    private static async Task<TestSilo> StartAsync(string node, ModbusTcpSimulator simulator, int apiPort, RedisServer redis)
    {
        var yaml = $"""
            {SimulatedSite.NeuronConfigYaml(simulator)}
            apis:
              port: {apiPort}
            {ClusterSection.Yaml("dashboards", node, redis.ConnectionString)}
            """;
        var site = SiteConfigurationLoader.Parse($"{node}.yaml", yaml, new HardwareDefinitionCatalog());
        return await TestSilo.StartAsync(site);
    }
}

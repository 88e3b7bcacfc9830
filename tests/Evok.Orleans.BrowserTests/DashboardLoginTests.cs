using Microsoft.Playwright;

namespace Evok.Orleans.BrowserTests;

/// <summary>With <c>apis.auth</c>, the device dashboard asks for a token, keeps it out of cookies, and opens the Orleans dashboard with it.</summary>
public sealed class DashboardLoginTests(SecuredDashboardSite site) : IClassFixture<SecuredDashboardSite>
{
    [Fact]
    public async Task The_dashboard_logs_in_with_a_token_then_shows_and_switches_devices_and_opens_the_orleans_dashboard()
    {
        var context = await site.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(site.Address + "/");

        await Assertions.Expect(page.Locator("#login")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".board")).ToHaveCountAsync(0);

        await page.Locator("#token").FillAsync("evk_wrong");
        await page.Locator("#login button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#login-problem")).ToHaveTextAsync("This token is not accepted.");

        await page.Locator("#token").FillAsync(site.Token);
        await page.Locator("#login button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#login")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".board[data-board='2'] .meta")).ToContainTextAsync("model 13");

        // Writes and the live feed work with the token (the WebSocket carries it as a subprotocol).
        await page.Locator("[data-key='relay:2_05'] .switch").ClickAsync();
        await Assertions.Expect(page.Locator("[data-key='relay:2_05'] .switch")).ToHaveAttributeAsync("aria-checked", "true");
        Assert.True(site.Simulator[2].GetCoil(4));

        // The token lives in the tab's sessionStorage; the only cookie is the Orleans dashboard's, for /orleans only.
        var cookies = await context.CookiesAsync();
        Assert.All(cookies, cookie => Assert.Equal("/orleans", cookie.Path));
        Assert.All(cookies, cookie => Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite));
        await Assertions.Expect(page.Locator("#orleans-link")).ToBeVisibleAsync();
        var orleans = await page.RunAndWaitForResponseAsync(() => page.Locator("#orleans-link").ClickAsync(), response => response.Url.EndsWith("/orleans/", StringComparison.Ordinal));
        Assert.Equal(200, orleans.Status);
        await context.CloseAsync();
    }
}

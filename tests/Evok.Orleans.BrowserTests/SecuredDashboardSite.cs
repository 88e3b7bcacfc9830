using Evok.Orleans.Hardware.Configuration;

namespace Evok.Orleans.BrowserTests;

/// <summary>The dashboard site with <c>apis.auth</c>: one write token, which the test types into the login form.</summary>
public sealed class SecuredDashboardSite : DashboardSite
{
    public string Token { get; } = ApiTokens.Create();

    protected override SiteConfiguration Configure(SiteConfiguration site) =>
        site with { Api = site.Api with { Tokens = [new ApiToken("operator", ApiRole.Write, ApiTokens.Sha256(Token))] } };
}

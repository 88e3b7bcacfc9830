using Microsoft.AspNetCore.Http;

namespace Evok.Orleans.Api.Security;

/// <summary>
/// Gives the browser the Orleans dashboard's cookie for the token it logged in with (the device dashboard calls this
/// after its login): the Orleans dashboard's own page cannot send an <c>Authorization</c> header.
/// </summary>
internal static class OrleansDashboardLogin
{
    public static IResult SignIn(HttpContext context)
    {
        if (ApiAccess.BearerToken(context.Request) is not { } token)
        {
            // Without apis.auth there is nothing to carry.
            return Results.NoContent();
        }

        context.Response.Cookies.Append(ApiAccess.DashboardCookie, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = ApiAccess.OrleansDashboardPath,
        });
        return Results.NoContent();
    }
}

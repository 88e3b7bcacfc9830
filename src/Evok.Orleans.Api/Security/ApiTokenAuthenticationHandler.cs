using System.Security.Claims;
using System.Text.Encodings.Web;
using Evok.Orleans.Api.Http;
using Evok.Orleans.Hardware.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Evok.Orleans.Api.Security;

/// <summary>
/// Recognises the tokens of <c>apis.auth</c>: from <c>Authorization: Bearer</c>, from a WebSocket handshake's
/// <c>bearer.&lt;token&gt;</c> subprotocol, or from the Orleans dashboard's cookie on its own paths. A refusal answers
/// in Evok's error shape (401 with <c>WWW-Authenticate: Bearer</c>, 403 for a read token that tries to write).
/// </summary>
internal sealed partial class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, EvokApiOptions api)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    // A client that keeps sending a wrong token is logged once a minute, not once per request.
    private static long s_nextUnknownTokenLog;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedToken() is not { } presented)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (ApiTokens.Find(api.Tokens, presented) is not { } token)
        {
            var now = Environment.TickCount64;
            var next = Interlocked.Read(ref s_nextUnknownTokenLog);
            if (now >= next && Interlocked.CompareExchange(ref s_nextUnknownTokenLog, now + 60_000, next) == next)
            {
                LogUnknownToken(Logger, Request.Path, Context.Connection.RemoteIpAddress?.ToString() ?? "?");
            }

            return Task.FromResult(AuthenticateResult.Fail("unknown token"));
        }

        List<Claim> claims = [new(ClaimTypes.Name, token.Name), new(ClaimTypes.Role, ApiAccess.ReadRole)];
        if (token.Role == ApiRole.Write)
        {
            claims.Add(new Claim(ClaimTypes.Role, ApiAccess.WriteRole));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiAccess.Scheme));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, ApiAccess.Scheme)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return new ApiError(StatusCodes.Status401Unauthorized, "Unauthorized", "this API needs a token: send 'Authorization: Bearer <token>'")
            .WriteToAsync(Response);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        new ApiError(StatusCodes.Status403Forbidden, "Forbidden", $"token '{Context.User.Identity?.Name}' may read, not write")
            .WriteToAsync(Response);

    private string? PresentedToken()
    {
        if (ApiAccess.BearerToken(Request) is { } bearer)
        {
            return bearer;
        }

        foreach (var protocol in Context.WebSockets.WebSocketRequestedProtocols)
        {
            if (protocol.StartsWith(ApiAccess.WebSocketTokenPrefix, StringComparison.Ordinal))
            {
                return protocol[ApiAccess.WebSocketTokenPrefix.Length..];
            }
        }

        return Request.Path.StartsWithSegments(ApiAccess.OrleansDashboardPath, StringComparison.Ordinal)
            ? Request.Cookies[ApiAccess.DashboardCookie]
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API request to {Path} from {Remote} with a token that is not in apis.auth (logged at most once a minute)")]
    private static partial void LogUnknownToken(ILogger logger, string path, string remote);
}

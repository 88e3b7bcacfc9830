namespace Evok.Orleans.Api.Security;

/// <summary>Names of the API's authentication scheme, its two policies and where a token may travel.</summary>
public static class ApiAccess
{
    public const string Scheme = "EvokToken";

    /// <summary>Reading devices, status, metrics, the dashboards and the WebSocket's change feed.</summary>
    public const string Read = "evok.read";

    /// <summary>Switching outputs and changing settings (REST/JSON POST, bulk, WebSocket <c>set</c>, aliases).</summary>
    public const string Write = "evok.write";

    /// <summary>The role claim a <c>write</c> token carries besides <see cref="Read"/>.</summary>
    public const string WriteRole = "write";

    public const string ReadRole = "read";

    /// <summary>
    /// The WebSocket subprotocol a browser offers with <c>bearer.&lt;token&gt;</c> (browsers cannot set headers on a
    /// WebSocket, and a token in the URL would end up in logs); the server answers with this one.
    /// </summary>
    public const string WebSocketProtocol = "evok";

    public const string WebSocketTokenPrefix = "bearer.";

    /// <summary>
    /// The cookie that carries the token to the Orleans dashboard only (its page cannot add headers): HttpOnly,
    /// SameSite=Strict, path /orleans, so no other site's page can send it and scripts cannot read it.
    /// </summary>
    public const string DashboardCookie = "evok_orleans_dashboard";

    public const string OrleansDashboardPath = "/orleans";

    /// <summary>The token of an <c>Authorization: Bearer &lt;token&gt;</c> header, or null.</summary>
    public static string? BearerToken(Microsoft.AspNetCore.Http.HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}

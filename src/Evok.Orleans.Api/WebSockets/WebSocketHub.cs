using System.Collections.Concurrent;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Api.Security;
using Evok.Orleans.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Api.WebSockets;

/// <summary>Keeps the connected WebSocket clients and gives each change batch to every one of them.</summary>
public sealed class WebSocketHub(EvokDevices devices, EvokApiOptions options, ILogger<WebSocketHub> logger) : IDeviceChangeSink
{
    private readonly ConcurrentDictionary<WebSocketSession, byte> _sessions = new();
    private readonly SiteReplyCache _allReplies = new(devices, TimeProvider.System);

    public ValueTask OnChangesAsync(DeviceChangeBatch batch, CancellationToken cancellationToken)
    {
        _allReplies.Changed();
        foreach (var session in _sessions.Keys)
        {
            session.Push(batch);
        }

        return ValueTask.CompletedTask;
    }

    public async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("expected a WebSocket upgrade");
            return;
        }

        // A browser that authenticates offers "evok" and "bearer.<token>": the answer names "evok", never the token.
        var protocol = context.WebSockets.WebSocketRequestedProtocols.Contains(ApiAccess.WebSocketProtocol) ? ApiAccess.WebSocketProtocol : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        var canWrite = !options.AuthenticationRequired || context.User.IsInRole(ApiAccess.WriteRole);
        var session = new WebSocketSession(socket, devices, _allReplies, options.WebSocketAllFiltered, canWrite, logger);
        _sessions.TryAdd(session, 0);
        try
        {
            await session.RunAsync(context.RequestAborted);
        }
        finally
        {
            _sessions.TryRemove(session, out _);
        }
    }
}

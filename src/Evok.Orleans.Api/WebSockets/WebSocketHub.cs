using System.Collections.Concurrent;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Api.WebSockets;

/// <summary>Keeps the connected WebSocket clients and gives each change batch to every one of them.</summary>
public sealed class WebSocketHub(EvokDevices devices, EvokApiOptions options, ILogger<WebSocketHub> logger) : IDeviceChangeSink
{
    private readonly ConcurrentDictionary<WebSocketSession, byte> _sessions = new();

    public ValueTask OnChangesAsync(DeviceChangeBatch batch, CancellationToken cancellationToken)
    {
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

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var session = new WebSocketSession(socket, devices, options.WebSocketAllFiltered, logger);
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

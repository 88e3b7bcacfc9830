using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Api.Http;
using Evok.Orleans.Api.Security;
using Evok.Orleans.Client;
using Evok.Orleans.Journal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Api.WebSockets;

/// <summary>
/// Keeps the connected WebSocket clients and gives each change batch to every one watching its controller. This
/// controller's batches come from the silo's subscriber grains (a change sink); another controller's of the site
/// (<c>/nodes/{node}/ws</c>) from one watch of that controller's subscriber grains, kept while anyone looks and
/// taken up again when that controller comes back after a restart.
/// </summary>
public sealed partial class WebSocketHub(EvokDevices devices, IGrainFactory grains, EvokApiOptions options, ILogger<WebSocketHub> logger, ChangeJournal? journal = null)
    : IDeviceChangeSink
{
    private static readonly TimeSpan RewatchAfter = TimeSpan.FromSeconds(2);
    private readonly NodeAudience _own = new(devices);
    private readonly Dictionary<string, NodeAudience> _others = [];

    public ValueTask OnChangesAsync(DeviceChangeBatch batch, CancellationToken cancellationToken)
    {
        _own.Push(batch);
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

        var node = context.GetRouteValue(RequestDevices.NodeRouteValue) as string ?? options.Node;
        if (node != options.Node)
        {
            try
            {
                // A controller that is down is refused before the upgrade, in Evok's error shape.
                await new NodeGrains(grains, node).Site.GetDevicesAsync();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                await ApiError.NodeUnavailable(exception as NodeUnavailableException ?? NodeUnavailableException.Of(node, exception)).WriteToAsync(context.Response);
                return;
            }
        }

        // A browser that authenticates offers "evok" and "bearer.<token>": the answer names "evok", never the token.
        var protocol = context.WebSockets.WebSocketRequestedProtocols.Contains(ApiAccess.WebSocketProtocol) ? ApiAccess.WebSocketProtocol : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        var canWrite = !options.AuthenticationRequired || context.User.IsInRole(ApiAccess.WriteRole);
        var audience = node == options.Node ? _own : Join(node);
        // Only this controller's journal is here: another node's connection cannot resume.
        var session = new WebSocketSession(socket, audience.Devices, audience.AllReplies, options.WebSocketAllFiltered, canWrite, audience == _own ? journal : null, logger);
        audience.Add(session);
        try
        {
            await session.RunAsync(context.RequestAborted);
        }
        finally
        {
            audience.Remove(session);
            if (audience != _own)
            {
                Leave(node);
            }
        }
    }

    private NodeAudience Join(string node)
    {
        lock (_others)
        {
            if (!_others.TryGetValue(node, out var audience))
            {
                audience = new NodeAudience(devices.OfNode(node)) { Watch = new CancellationTokenSource() };
                _others[node] = audience;
                _ = FeedAsync(node, audience, audience.Watch.Token);
            }

            return audience;
        }
    }

    private void Leave(string node)
    {
        lock (_others)
        {
            if (_others.TryGetValue(node, out var audience) && audience.IsEmpty)
            {
                _others.Remove(node);
                audience.Watch!.Cancel();
                audience.Watch.Dispose();
            }
        }
    }

    private async Task FeedAsync(string node, NodeAudience audience, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var batch in ChangeWatch.WatchAsync(grains, [node], DeviceMask.Everything, stop))
                {
                    audience.Push(batch);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogWatchFailed(node, exception.Message);
            }

            try
            {
                await Task.Delay(RewatchAfter, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket clients of controller {Node}: its change feed stopped ({Problem}); watching it again")]
    private partial void LogWatchFailed(string node, string problem);
}

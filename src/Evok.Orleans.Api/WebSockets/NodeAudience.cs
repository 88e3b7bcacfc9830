using System.Collections.Concurrent;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Client;

namespace Evok.Orleans.Api.WebSockets;

/// <summary>The WebSocket clients watching one controller's devices, and the <c>all</c> reply they share.</summary>
internal sealed class NodeAudience(EvokDevices devices)
{
    private readonly ConcurrentDictionary<WebSocketSession, byte> _sessions = new();

    public EvokDevices Devices { get; } = devices;

    public SiteReplyCache AllReplies { get; } = new(devices, TimeProvider.System);

    public bool IsEmpty => _sessions.IsEmpty;

    /// <summary>For another controller's audience: cancels the watch that feeds it once nobody looks.</summary>
    public CancellationTokenSource? Watch { get; set; }

    public void Add(WebSocketSession session) => _sessions.TryAdd(session, 0);

    public void Remove(WebSocketSession session) => _sessions.TryRemove(session, out _);

    public void Push(DeviceChangeBatch batch)
    {
        AllReplies.Changed();
        foreach (var session in _sessions.Keys)
        {
            session.Push(batch);
        }
    }
}

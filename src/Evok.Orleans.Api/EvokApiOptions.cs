using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Api;

/// <summary>What config.yaml's <c>apis</c> section says about the API itself.</summary>
public sealed record EvokApiOptions
{
    /// <summary>The device JSON every answer and pushed event carries (<c>apis.json_names</c>).</summary>
    public EvokJsonStyle JsonStyle { get; init; } = EvokJsonStyle.Seed;

    /// <summary>Whether <c>/ws</c> is served (<c>apis.websocket.enabled</c>).</summary>
    public bool WebSocketEnabled { get; init; } = true;

    /// <summary>Whether a WebSocket <c>all</c> command answers only the devices its filter keeps (<c>apis.websocket.all_filtered</c>).</summary>
    public bool WebSocketAllFiltered { get; init; }
}

using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Hardware.Configuration;

namespace Evok.Orleans.Api;

/// <summary>What config.yaml's <c>apis</c> section says about the API itself.</summary>
public sealed record EvokApiOptions
{
    /// <summary>The device JSON every answer and pushed event carries (<c>apis.json_names</c>).</summary>
    public EvokJsonStyle JsonStyle { get; init; } = EvokJsonStyle.Evok2;

    /// <summary>Whether <c>/ws</c> is served (<c>apis.websocket.enabled</c>).</summary>
    public bool WebSocketEnabled { get; init; } = true;

    /// <summary>Whether a WebSocket <c>all</c> command answers only the devices its filter keeps (<c>apis.websocket.all_filtered</c>).</summary>
    public bool WebSocketAllFiltered { get; init; }

    /// <summary>The tokens of <c>apis.auth</c>; empty: every request is allowed, as in Evok.</summary>
    public ImmutableArray<ApiToken> Tokens { get; init; } = [];

    /// <summary>Host names (besides this machine's names and addresses) the <c>Host</c> header may carry: <c>apis.hosts</c>.</summary>
    public ImmutableArray<string> Hosts { get; init; } = [];

    /// <summary>Origins of other sites whose pages may call the API: <c>apis.cors_origins</c>.</summary>
    public ImmutableArray<string> CorsOrigins { get; init; } = [];

    /// <summary>
    /// This controller's node in a site of several (<c>cluster.node</c>); empty on its own. With a node the API also
    /// serves <c>/nodes</c> and every controller's devices under <c>/nodes/{node}/</c>.
    /// </summary>
    public string Node { get; init; } = string.Empty;

    public bool AuthenticationRequired => !Tokens.IsEmpty;
}

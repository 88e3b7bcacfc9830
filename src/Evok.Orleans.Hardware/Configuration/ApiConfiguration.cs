using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Evok's <c>apis</c> section.</summary>
public sealed record ApiConfiguration(
    string Address,
    int Port,
    bool WebSocketEnabled,
    ImmutableArray<WebhookConfiguration> Webhooks)
{
    /// <summary>
    /// Serve the Orleans dashboard at /orleans. Off by default: as its package ships it, it reads its 17 MB of files
    /// at start and keeps them (about 70 MB of memory on every controller, most of which never open it).
    /// </summary>
    public bool OrleansDashboard { get; init; }

    /// <summary>
    /// <c>apis.orleans_stream</c>: publish every change batch on Orleans streams for client apps (off by default: each
    /// batch costs two more grain calls, and the streams' pulling agents poll their queues while nobody subscribes).
    /// </summary>
    public bool OrleansStream { get; init; }

    /// <summary>
    /// Which generation of Evok's device JSON every API, event and webhook speaks (<c>json_names</c>): Evok 2's
    /// (<c>evok2</c> or <c>seed</c>: <c>relay</c>/<c>input</c>, <c>glob_dev_id</c>, <c>typ</c>; the default) or Evok 3's (<c>evok3</c>).
    /// </summary>
    public EvokJsonStyle JsonStyle { get; init; } = EvokJsonStyle.Evok2;

    /// <summary>Evok's <c>websocket.all_filtered</c>: the WebSocket <c>all</c> command answers only what the client's filter keeps.</summary>
    public bool WebSocketAllFiltered { get; init; }

    /// <summary><c>apis.auth</c>: the tokens a request must carry one of; empty = no authentication (Evok's behaviour).</summary>
    public ImmutableArray<ApiToken> Tokens { get; init; } = [];

    /// <summary><c>apis.auth: none</c>: serve a non-loopback address without tokens, on purpose.</summary>
    public bool OpenOnPurpose { get; init; }

    /// <summary>
    /// <c>apis.hosts</c>: names the <c>Host</c> header may carry besides loopback names, this machine's name and its
    /// addresses (<c>*</c>: any, behind a proxy that checks them). Anything else is DNS rebinding: 421.
    /// </summary>
    public ImmutableArray<string> Hosts { get; init; } = [];

    /// <summary><c>apis.cors_origins</c>: other web origins whose pages may call the API (preflight answered).</summary>
    public ImmutableArray<string> CorsOrigins { get; init; } = [];

    /// <summary><c>apis.metrics</c>: what <c>/metrics</c> and OTLP export.</summary>
    public MetricsConfiguration Metrics { get; init; } = MetricsConfiguration.Default;

    /// <summary><c>apis.mqtt</c>: null when MQTT is off (the default).</summary>
    public MqttConfiguration? Mqtt { get; init; }

    /// <summary><c>apis.tls</c>: serve HTTPS/WSS instead of HTTP/WS.</summary>
    public TlsConfiguration? Tls { get; init; }

    public static ApiConfiguration Default { get; } = new("127.0.0.1", 8080, true, []);
}

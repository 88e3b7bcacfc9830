using Orleans.Runtime;

namespace Evok.Orleans.Abstractions.Events;

/// <summary>
/// Names of the Orleans channels that carry <see cref="DeviceChangeBatch"/> events, one per Modbus device: a broadcast
/// channel (pushed to the silo's subscribers: webhooks, WebSocket, log) and a stream of the same name (for client
/// apps, which cannot subscribe to broadcast channels).
/// </summary>
public static class EvokStreams
{
    public const string ProviderName = "evok";

    public const string DeviceChangesNamespace = "evok.device-changes";

    public static StreamId DeviceChanges(string device) => StreamId.Create(DeviceChangesNamespace, device);
}

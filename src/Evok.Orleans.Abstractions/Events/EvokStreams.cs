namespace Evok.Orleans.Abstractions.Events;

/// <summary>
/// Names of the Orleans broadcast channels that carry <see cref="DeviceChangeBatch"/> events, one per Modbus device
/// and one per 1-Wire bus (<c>owbus:&lt;name&gt;</c>), pushed to its <c>IDeviceChangeSubscriberGrain</c> (which feeds
/// webhooks, WebSocket, log and watching client apps).
/// </summary>
public static class EvokStreams
{
    public const string ProviderName = "evok";

    public const string DeviceChangesNamespace = "evok.device-changes";
}

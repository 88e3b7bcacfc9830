namespace Evok.Orleans.Abstractions.Events;

/// <summary>
/// Names of the Orleans broadcast channels that carry <see cref="DeviceChangeBatch"/> events, one per Modbus device,
/// pushed to that device's <c>IDeviceChangeSubscriberGrain</c> (which feeds webhooks, WebSocket, log and watching
/// client apps).
/// </summary>
public static class EvokStreams
{
    public const string ProviderName = "evok";

    public const string DeviceChangesNamespace = "evok.device-changes";
}

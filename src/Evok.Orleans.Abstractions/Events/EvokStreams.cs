namespace Evok.Orleans.Abstractions.Events;

/// <summary>
/// Where <see cref="DeviceChangeBatch"/> events travel. Inside a controller's silo: Orleans broadcast channels, one per
/// Modbus device and one per 1-Wire bus (<c>owbus:&lt;name&gt;</c>), pushed to its <c>IDeviceChangeSubscriberGrain</c>
/// (which feeds webhooks, WebSocket, MQTT, log and watching client apps). For client apps, with
/// <c>apis.orleans_stream</c> on: Orleans streams of the provider <see cref="ChangeStreamProvider"/>, one of the whole
/// site (namespace <see cref="SiteChangesNamespace"/>, key <see cref="SiteStreamKey"/>) and one per device (namespace
/// <see cref="DeviceChangesStreamNamespace"/>, key <see cref="DeviceStreamKey"/>), subscribed to with Orleans' own
/// <c>IAsyncStream</c> API from any gateway of the site.
/// </summary>
public static class EvokStreams
{
    public const string ProviderName = "evok";

    public const string DeviceChangesNamespace = "evok.device-changes";

    /// <summary>The Orleans stream provider (memory streams) client apps subscribe through.</summary>
    public const string ChangeStreamProvider = "evok-changes";

    /// <summary>Stream namespace of every change of every controller of a site, key = <see cref="SiteStreamKey"/>.</summary>
    public const string SiteChangesNamespace = "evok.site";

    /// <summary>Stream namespace of one device's changes, key = <see cref="DeviceStreamKey"/>.</summary>
    public const string DeviceChangesStreamNamespace = "evok.device";

    /// <summary>The site stream's key of a controller on its own (no <c>cluster</c> section), as a stream key cannot be empty.</summary>
    public const string UnnamedSite = "local";

    /// <summary>The key of the site's stream: <c>cluster.site</c>, or <see cref="UnnamedSite"/> for a controller on its own.</summary>
    public static string SiteStreamKey(string site) => site.Length == 0 ? UnnamedSite : site;

    /// <summary>The key of a device's stream: the device (<c>2</c>) qualified by its controller as grain keys are (<c>plc2/2</c>).</summary>
    public static string DeviceStreamKey(string node, string device) => Grains.NodeKey.Qualify(node, device);
}

using Orleans.Runtime;

namespace Evok.Orleans.Abstractions.Events;

/// <summary>Names of the Orleans stream that carries <see cref="DeviceChangeBatch"/> events, one stream per Modbus device.</summary>
public static class EvokStreams
{
    public const string ProviderName = "evok";

    public const string DeviceChangesNamespace = "evok.device-changes";

    public static StreamId DeviceChanges(string device) => StreamId.Create(DeviceChangesNamespace, device);
}

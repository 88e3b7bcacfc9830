using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>Maps a circuit key or kind to its grain interface, so callers holding only a key reach the right grain class.</summary>
public static class CircuitGrains
{
    public static ICircuitGrain Get(IGrainFactory grains, DeviceKind kind, string key) => kind switch
    {
        DeviceKind.RelayOutput or DeviceKind.DigitalOutput => grains.GetGrain<IRelayGrain>(key),
        DeviceKind.DigitalInput => grains.GetGrain<IDigitalInputGrain>(key),
        DeviceKind.AnalogOutput => grains.GetGrain<IAnalogOutputGrain>(key),
        DeviceKind.AnalogInput => grains.GetGrain<IAnalogInputGrain>(key),
        DeviceKind.Led => grains.GetGrain<ILedGrain>(key),
        DeviceKind.Watchdog => grains.GetGrain<IWatchdogGrain>(key),
        DeviceKind.Register => grains.GetGrain<IRegisterGrain>(key),
        DeviceKind.DataPoint => grains.GetGrain<IDataPointGrain>(key),
        DeviceKind.Temperature or DeviceKind.OneWireDevice or DeviceKind.OneWireBus => grains.GetGrain<IOneWireDeviceGrain>(key),
        DeviceKind.OwPower or DeviceKind.NvSave => grains.GetGrain<ICoilGrain>(key),
        DeviceKind.ModbusSlave => throw new ArgumentException($"{key} is a Modbus device, read through its poller grain", nameof(key)),
        DeviceKind.DeviceInfo => throw new ArgumentException($"{key} is fixed by the configuration, read through the site grain", nameof(key)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The grain behind a key such as <c>relay:2_04</c> (or, of a site's node, <c>plc2/relay:2_04</c>).</summary>
    public static ICircuitGrain Get(IGrainFactory grains, string key)
    {
        var local = NodeKey.LocalOf(key);
        var prefix = local[..Math.Max(0, local.IndexOf(':', StringComparison.Ordinal))];
        return DeviceTypeNames.TryResolve(prefix, out var kinds) && kinds.Count > 0
            ? Get(grains, kinds[0], key)
            : throw new ArgumentException($"'{key}' is not a circuit key like relay:2_04", nameof(key));
    }
}

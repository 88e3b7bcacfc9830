using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;

namespace Evok.Orleans.Grains.Circuits;

/// <summary>Maps a circuit kind to its grain interface, so callers holding only a key reach the right grain class.</summary>
public static class CircuitGrainReferences
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
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

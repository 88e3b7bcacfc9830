using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Orleans.Concurrency;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// Scans one Modbus device (key = device name from config.yaml) and is the only writer of its change stream, so
/// every change of that device is published in one order.
/// </summary>
public interface IModbusDevicePollerGrain : IGrainWithStringKey
{
    /// <summary>Starts scanning at the device's scan_frequency; calling it again does nothing.</summary>
    Task StartAsync();

    /// <summary>Performs a write for a circuit, reads its registers back and publishes the change it made.</summary>
    Task WriteAsync(string circuitKey, ModbusWrite write);

    /// <summary>The last decoded state of a circuit, for a circuit grain that was (re)activated.</summary>
    [AlwaysInterleave]
    Task<DeviceState?> GetCircuitStateAsync(string circuitKey);

    [AlwaysInterleave]
    Task<ModbusDeviceStatus> GetStatusAsync();
}

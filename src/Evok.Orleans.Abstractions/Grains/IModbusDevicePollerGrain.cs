using Orleans.Concurrency;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// Keeps one Modbus device's state (key = device name from config.yaml) and is the only writer of its change
/// stream, so every change of that device is published in one order. Its bus reports scans to it; circuit grains
/// and the site grain call it; it calls no grain back (it only publishes), so none of its calls can deadlock.
/// Reads interleave for throughput only: a write waits for its bus round trip, and reads need not wait behind it.
/// </summary>
public interface IModbusDevicePollerGrain : ICircuitOwnerGrain
{
    /// <summary>Activates the poller, which starts scanning its device at the device's scan_frequency.</summary>
    Task StartAsync();

    /// <summary>
    /// From the bus: register blocks that changed, and the device going offline or coming back. Decodes the
    /// circuits of changed registers and publishes the ones whose state changed.
    /// </summary>
    Task OnScannedAsync(ModbusScanReport report);

    [AlwaysInterleave]
    Task<ModbusDeviceStatus> GetStatusAsync();
}

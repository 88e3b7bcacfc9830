using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Orleans.Concurrency;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// Keeps one Modbus device's state (key = device name from config.yaml) and is the only writer of its change
/// stream, so every change of that device is published in one order. Its bus reports scans to it; circuit grains
/// and the site grain call it; it calls no grain back (it only publishes), so none of its calls can deadlock.
/// Reads interleave for throughput only: a write waits for its bus round trip, and reads need not wait behind it.
/// </summary>
public interface IModbusDevicePollerGrain : IGrainWithStringKey
{
    /// <summary>Activates the poller, which starts scanning its device at the device's scan_frequency.</summary>
    Task StartAsync();

    /// <summary>
    /// From the bus: register blocks that changed, and the device going offline or coming back. Decodes the
    /// circuits of changed registers and publishes the ones whose state changed.
    /// </summary>
    Task OnScannedAsync(ModbusScanReport report);

    /// <summary>
    /// Validates and performs property writes for a circuit, reads its registers back, publishes the change and
    /// returns the new state. Nothing is written unless every assignment is valid.
    /// </summary>
    Task<DeviceState> SetAsync(string circuitKey, ImmutableArray<PropertyAssignment> assignments);

    /// <summary>Shows a circuit's new alias in its state (the silo's alias registry owns and persists aliases).</summary>
    Task SetAliasAsync(string circuitKey, string? alias);

    /// <summary>A circuit's last decoded state; null until its board has been read.</summary>
    [AlwaysInterleave]
    Task<DeviceState?> GetStateAsync(string circuitKey);

    /// <summary>Every circuit's last decoded state, in board order (circuits never read yet are left out).</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<DeviceState>> GetStatesAsync();

    [AlwaysInterleave]
    Task<ModbusDeviceStatus> GetStatusAsync();
}

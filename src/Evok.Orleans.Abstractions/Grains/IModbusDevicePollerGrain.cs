using System.Collections.Immutable;
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

    /// <summary>
    /// From the bus scanner: register blocks that changed, and the device going offline or coming back. Decodes the
    /// circuits of changed registers and publishes the ones whose state changed.
    /// </summary>
    Task OnScannedAsync(ModbusScanReport report);

    /// <summary>
    /// Validates and performs property writes for a circuit, reads its registers back, publishes the change and
    /// returns the new state. Nothing is written unless every assignment is valid.
    /// </summary>
    Task<DeviceState> SetAsync(string circuitKey, ImmutableArray<PropertyAssignment> assignments);

    /// <summary>Shows a circuit's alias in its state (the site grain owns and persists aliases).</summary>
    Task SetAliasAsync(string circuitKey, string? alias);

    /// <summary>Every circuit's last decoded state, in board order (circuits never read yet are left out).</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<DeviceState>> GetStatesAsync();

    /// <summary>
    /// A circuit grain that activated: returns the circuit's last decoded state (null if never read) and from now on
    /// pushes each change of it to that grain before publishing the change.
    /// </summary>
    [AlwaysInterleave]
    Task<DeviceState?> AttachAsync(string circuitKey);

    /// <summary>A circuit grain that deactivates: its changes are no longer pushed to it.</summary>
    [AlwaysInterleave]
    Task DetachAsync(string circuitKey);

    [AlwaysInterleave]
    Task<ModbusDeviceStatus> GetStatusAsync();
}

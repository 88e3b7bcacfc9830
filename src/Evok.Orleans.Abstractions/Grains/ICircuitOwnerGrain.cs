using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Orleans.Concurrency;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// A grain that holds the state of circuits and writes them on its bus: a Modbus device's poller or a 1-Wire bus.
/// Circuit grains read from and write through their owner; the owner never calls them back.
/// </summary>
public interface ICircuitOwnerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Validates and performs property writes for a circuit, reads it back, publishes the change and returns the new
    /// state. Nothing is written unless every assignment is valid.
    /// </summary>
    Task<DeviceState> SetAsync(string circuitKey, ImmutableArray<PropertyAssignment> assignments);

    /// <summary>Shows a circuit's new alias in its state (the silo's alias registry owns and persists aliases).</summary>
    Task SetAliasAsync(string circuitKey, string? alias);

    /// <summary>A circuit's last known state; null until it has been read (or when this owner has no such circuit).</summary>
    [AlwaysInterleave] // for throughput: a read does not wait behind a write's bus round trip
    Task<DeviceState?> GetStateAsync(string circuitKey);

    /// <summary>Every circuit's last known state (circuits never read yet are left out).</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<DeviceState>> GetStatesAsync();
}

using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Orleans.Concurrency;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// One circuit (key <c>&lt;type&gt;:&lt;circuit&gt;</c>, e.g. <c>relay:2_04</c>). Reads are answered from the state
/// its poller holds, never from Modbus.
/// </summary>
public interface ICircuitGrain : IGrainWithStringKey
{
    /// <summary>The circuit's current state; null until its board has been scanned once.</summary>
    [AlwaysInterleave] // for throughput: a read does not wait behind a write's bus round trip
    Task<DeviceState?> GetStateAsync();

    /// <summary>
    /// Sets properties the way Evok's API does (<c>value</c>, <c>mode</c>, <c>alias</c>, ...): every assignment is
    /// validated before anything is written; a bad one throws <see cref="DeviceWriteException"/> and nothing changes.
    /// Returns the state read back from the board.
    /// </summary>
    Task<DeviceState> SetAsync(ImmutableArray<PropertyAssignment> assignments);
}

using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>A relay (RO) or digital output (DO), key <c>relay:&lt;circuit&gt;</c>.</summary>
public interface IRelayGrain : ICircuitGrain
{
    /// <summary>Switches the output (0 or 1) and returns the state read back from the board.</summary>
    Task<RelayState> SetValueAsync(int value);
}

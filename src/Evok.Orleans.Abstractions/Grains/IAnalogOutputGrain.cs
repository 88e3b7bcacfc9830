using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>An analog output, key <c>ao:&lt;circuit&gt;</c>.</summary>
public interface IAnalogOutputGrain : ICircuitGrain
{
    /// <summary>Sets the output in the unit of its current mode and returns the state read back from the board.</summary>
    Task<AnalogOutputState> SetValueAsync(double value);
}

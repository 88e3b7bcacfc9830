using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>A board's 1-Wire bus power coil, key <c>owpower:&lt;device&gt;</c>.</summary>
public interface IOwPowerGrain : ICircuitGrain
{
    Task<OwPowerState> SetValueAsync(int value);
}

using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>A user LED, key <c>led:&lt;circuit&gt;</c>.</summary>
public interface ILedGrain : ICircuitGrain
{
    Task<LedState> SetValueAsync(int value);
}

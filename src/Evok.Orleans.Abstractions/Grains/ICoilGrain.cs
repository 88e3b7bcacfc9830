using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>A board's command coil, key <c>owpower:&lt;device&gt;</c> or <c>nv_save:&lt;device&gt;</c>.</summary>
public interface ICoilGrain : ICircuitGrain
{
    Task<CoilState> SetValueAsync(int value);
}

using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Grains.Site;

namespace Evok.Orleans.Grains.Circuits;

public sealed class LedGrain(NodeMaps maps) : CircuitGrain<LedState>(maps), ILedGrain
{
    Task<LedState> ILedGrain.SetValueAsync(int value) => SetValueAsync(value);
}

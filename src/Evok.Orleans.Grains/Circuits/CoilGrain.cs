using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Grains.Site;

namespace Evok.Orleans.Grains.Circuits;

public sealed class CoilGrain(NodeMaps maps) : CircuitGrain<CoilState>(maps), ICoilGrain
{
    Task<CoilState> ICoilGrain.SetValueAsync(int value) => SetValueAsync(value);
}

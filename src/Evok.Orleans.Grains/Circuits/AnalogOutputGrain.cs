using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Grains.Site;

namespace Evok.Orleans.Grains.Circuits;

public sealed class AnalogOutputGrain(NodeMaps maps) : CircuitGrain<AnalogOutputState>(maps), IAnalogOutputGrain
{
    Task<AnalogOutputState> IAnalogOutputGrain.SetValueAsync(double value) => SetValueAsync(value);
}

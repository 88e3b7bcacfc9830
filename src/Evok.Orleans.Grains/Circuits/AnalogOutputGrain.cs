using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Circuits;

public sealed class AnalogOutputGrain(SiteMap site) : CircuitGrain<AnalogOutputState>(site), IAnalogOutputGrain
{
    Task<AnalogOutputState> IAnalogOutputGrain.SetValueAsync(double value) => SetValueAsync(value);
}

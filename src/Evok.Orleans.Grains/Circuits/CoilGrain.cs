using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Circuits;

public sealed class CoilGrain(SiteMap site) : CircuitGrain<CoilState>(site), ICoilGrain
{
    Task<CoilState> ICoilGrain.SetValueAsync(int value) => SetValueAsync(value);
}

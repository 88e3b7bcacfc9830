using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Circuits;

public sealed class LedGrain(SiteMap site) : CircuitGrain<LedState>(site), ILedGrain
{
    Task<LedState> ILedGrain.SetValueAsync(int value) => SetValueAsync(value);
}

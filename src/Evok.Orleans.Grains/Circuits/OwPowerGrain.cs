using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Circuits;

public sealed class OwPowerGrain(SiteMap site) : CircuitGrain<OwPowerState>(site), IOwPowerGrain
{
    Task<OwPowerState> IOwPowerGrain.SetValueAsync(int value) => SetValueAsync(value);
}

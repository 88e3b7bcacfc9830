using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Circuits;

public sealed class RelayGrain(SiteMap site) : CircuitGrain<RelayState>(site), IRelayGrain
{
    Task<RelayState> IRelayGrain.SetValueAsync(int value) => SetValueAsync(value);
}

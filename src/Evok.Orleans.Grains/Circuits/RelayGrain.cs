using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Grains.Site;

namespace Evok.Orleans.Grains.Circuits;

public sealed class RelayGrain(NodeMaps maps) : CircuitGrain<RelayState>(maps), IRelayGrain
{
    Task<RelayState> IRelayGrain.SetValueAsync(int value) => SetValueAsync(value);
}

using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Grains.Site;

namespace Evok.Orleans.Grains.Circuits;

public sealed class RegisterGrain(NodeMaps maps) : CircuitGrain<RegisterState>(maps), IRegisterGrain
{
    Task<RegisterState> IRegisterGrain.SetValueAsync(int value) => SetValueAsync(value);
}

using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Circuits;

public sealed class RegisterGrain(SiteMap site) : CircuitGrain<RegisterState>(site), IRegisterGrain
{
    Task<RegisterState> IRegisterGrain.SetValueAsync(int value) => SetValueAsync(value);
}

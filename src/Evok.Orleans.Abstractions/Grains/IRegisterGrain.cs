using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>A raw holding register, key <c>register:&lt;device&gt;_&lt;address&gt;</c>.</summary>
public interface IRegisterGrain : ICircuitGrain
{
    Task<RegisterState> SetValueAsync(int value);
}

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>An analog input, key <c>ai:&lt;circuit&gt;</c>. Its writes arrive with the API issue.</summary>
public interface IAnalogInputGrain : ICircuitGrain
{
}

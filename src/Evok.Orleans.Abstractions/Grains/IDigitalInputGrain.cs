namespace Evok.Orleans.Abstractions.Grains;

/// <summary>A digital input, key <c>input:&lt;circuit&gt;</c>. Its writes arrive with the API issue.</summary>
public interface IDigitalInputGrain : ICircuitGrain
{
}

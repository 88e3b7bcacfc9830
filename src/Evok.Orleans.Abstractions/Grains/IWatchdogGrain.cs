namespace Evok.Orleans.Abstractions.Grains;

/// <summary>The board watchdog, key <c>wd:&lt;circuit&gt;</c>. Its writes arrive with the API issue.</summary>
public interface IWatchdogGrain : ICircuitGrain
{
}

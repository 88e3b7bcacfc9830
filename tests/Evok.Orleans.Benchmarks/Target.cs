using Evok.Orleans.Simulator;

namespace Evok.Orleans.Benchmarks;

/// <summary>A circuit the driver changes on the simulated board, and how its change shows in the webhook JSON.</summary>
internal sealed record Target(SimulatedBoard Board, string Dev, string Circuit, int Number)
{
    /// <summary>DI and RO sit in the blocks read every scan; AO and AI in the block read every 10th scan.</summary>
    public bool IsFast => Dev is "input" or "relay";
}

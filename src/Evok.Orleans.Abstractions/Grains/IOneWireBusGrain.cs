using Orleans.Concurrency;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// Keeps one 1-Wire bus's devices (key = the channel's name in config.yaml) and is the only writer of their change
/// stream. Its bus reports searches and polls to it; device grains and the site grain call it; it calls only the
/// owpower circuit of its board (for <c>do_reset</c>), which never calls back. Circuit keys: <c>sensor:&lt;circuit&gt;</c>
/// for its devices, <c>owbus:&lt;name&gt;</c> for the bus itself.
/// </summary>
public interface IOneWireBusGrain : ICircuitOwnerGrain
{
    /// <summary>Activates the grain, which starts its bus: a search, then polls.</summary>
    Task StartAsync();

    /// <summary>From the bus: owserver up or down, the devices a search found, polls done.</summary>
    Task OnReportAsync(OneWireReport report);

    [AlwaysInterleave]
    Task<OneWireBusStatus> GetStatusAsync();
}

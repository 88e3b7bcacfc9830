using Evok.Orleans.Modbus;

namespace Evok.Orleans.Grains.Buses;

/// <summary>
/// The silo-local Modbus connections and their scanners, one per comm channel. Grains reach the bus only through
/// this, so a poller placed on the silo that owns its bus is the one decision to change when controllers join one
/// cluster.
/// </summary>
public interface IModbusBusConnections
{
    IPipelinedModbusMaster For(string channel);

    ModbusBusScanner ScannerFor(string channel);

    /// <summary>Stops every bus scan (at silo shutdown, before the pollers are deactivated); connections stay open.</summary>
    Task StopScanningAsync();
}

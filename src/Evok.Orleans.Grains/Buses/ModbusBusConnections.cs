using System.Collections.Concurrent;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Tcp;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Grains.Buses;

/// <summary>
/// Creates one <see cref="ModbusTcpMaster"/> and one <see cref="ModbusBusScanner"/> per configured channel on first
/// use; at shutdown stops the scanners, then closes the connections.
/// </summary>
public sealed class ModbusBusConnections(SiteConfiguration site, ILoggerFactory loggers) : IModbusBusConnections, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ModbusTcpMaster>> _masters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<ModbusBusScanner>> _scanners = new(StringComparer.Ordinal);

    public IPipelinedModbusMaster For(string channel) => _masters.GetOrAdd(channel, name => new Lazy<ModbusTcpMaster>(() =>
    {
        var configuration = site.Channels.FirstOrDefault(c => c.Name == name)
            ?? throw new KeyNotFoundException($"no comm channel '{name}' in {site.Source}");
        return new ModbusTcpMaster(
            new ModbusTcpMasterOptions
            {
                Host = configuration.Hostname,
                Port = configuration.Port,
                MaxRequestsInFlight = configuration.MaxPipelinedRequests,
            },
            loggers.CreateLogger<ModbusTcpMaster>());
    })).Value;

    public ModbusBusScanner ScannerFor(string channel) =>
        _scanners.GetOrAdd(channel, name => new Lazy<ModbusBusScanner>(() => new ModbusBusScanner(For(name)))).Value;

    public async Task StopScanningAsync()
    {
        foreach (var scanner in _scanners.Values.Where(lazy => lazy.IsValueCreated))
        {
            await scanner.Value.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopScanningAsync();
        foreach (var master in _masters.Values.Where(lazy => lazy.IsValueCreated))
        {
            await master.Value.DisposeAsync();
        }
    }
}

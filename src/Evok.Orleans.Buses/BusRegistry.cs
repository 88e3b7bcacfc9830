using System.Collections.Concurrent;
using Evok.Orleans.Buses.Modbus;
using Evok.Orleans.Buses.OneWire;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Rtu;
using Evok.Orleans.Modbus.Tcp;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Buses;

/// <summary>
/// The silo's buses, one per configured channel, made on first use: a Modbus TCP connection or an RS485 line, each
/// with its master and its <see cref="Modbus.ModbusBus"/>, or an owserver connection (<see cref="OneWireBus"/>). Grains
/// reach hardware only through this, so a poller placed on
/// the silo that owns its bus is the one decision to change when controllers join one cluster. At shutdown scanning
/// stops first, then the connections close.
/// </summary>
public sealed class BusRegistry(SiteConfiguration site, ILoggerFactory loggers) : IAsyncDisposable
{
    /// <summary>How long a failing board on TCP waits at most between scans (Evok: 120 s).</summary>
    public static readonly TimeSpan TcpMaxBackoff = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Lazy<ModbusBus>> _modbus = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IPipelinedModbusMaster> _masters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<OneWireBus>> _oneWire = new(StringComparer.Ordinal);

    /// <summary>The Modbus bus of a channel.</summary>
    public ModbusBus ModbusBus(string channel) => ModbusBus(site, channel);

    /// <summary>
    /// The Modbus bus of a channel of <paramref name="owner"/>: this controller's own configuration, or another node's
    /// failover channels this one has taken over (<see cref="SiteConfiguration.StandbyFor"/>).
    /// </summary>
    public ModbusBus ModbusBus(SiteConfiguration owner, string channel) => _modbus.GetOrAdd(KeyOf(owner.Node, channel), key => new Lazy<ModbusBus>(() =>
    {
        var configuration = owner.Channels.FirstOrDefault(c => c.Name == channel)
            ?? throw new KeyNotFoundException($"no comm channel '{channel}' in {site.Source}");
        var master = _masters[key] = CreateMaster(configuration);
        return new ModbusBus(configuration, master, MaxBackoffOf(configuration), loggers.CreateLogger<ModbusBus>());
    })).Value;

    /// <summary>
    /// Stops the buses taken over from <paramref name="node"/> (it is back) and closes their connections, so that
    /// only its own silo polls them again.
    /// </summary>
    public async Task ReleaseAsync(string node)
    {
        foreach (var key in _modbus.Keys.Where(key => key.StartsWith(node + "/", StringComparison.Ordinal)))
        {
            if (_modbus.TryRemove(key, out var bus) && bus.IsValueCreated)
            {
                await bus.Value.DisposeAsync();
            }

            if (_masters.TryRemove(key, out var master))
            {
                await master.DisposeAsync();
            }
        }
    }

    /// <summary>The 1-Wire bus (owserver connection) of an OWFS/OWBUS channel.</summary>
    public OneWireBus OneWireBus(string channel) => _oneWire.GetOrAdd(channel, name => new Lazy<OneWireBus>(() =>
    {
        var configuration = site.OneWireBuses.FirstOrDefault(bus => bus.Name == name)
            ?? throw new KeyNotFoundException($"no 1-Wire bus '{name}' in {site.Source}");
        return new OneWireBus(configuration, loggers.CreateLogger<OneWireBus>());
    })).Value;

    /// <summary>
    /// The longest a failing board waits between scans. On an RS485 line a silent slave holds the line for a whole
    /// timeout per try, so it is tried at most every 20 timeouts (10 s at the default 0.5 s): the others lose at most
    /// 5 % of the line to it.
    /// </summary>
    public static TimeSpan MaxBackoffOf(CommChannelConfiguration channel) =>
        channel.Serial is { } serial ? serial.Timeout * 20 : TcpMaxBackoff;

    private static string KeyOf(string node, string channel) => node.Length == 0 ? channel : $"{node}/{channel}";

    public async Task StopScanningAsync()
    {
        foreach (var bus in _modbus.Values.Where(lazy => lazy.IsValueCreated))
        {
            await bus.Value.DisposeAsync();
        }

        foreach (var bus in _oneWire.Values.Where(lazy => lazy.IsValueCreated))
        {
            await bus.Value.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopScanningAsync();
        foreach (var master in _masters.Values)
        {
            await master.DisposeAsync();
        }
    }

    private IPipelinedModbusMaster CreateMaster(CommChannelConfiguration channel) => channel.Serial is { } serial
        ? new ModbusRtuMaster(
            new ModbusRtuMasterOptions
            {
                Port = serial.Port,
                BaudRate = serial.BaudRate,
                Parity = serial.Parity,
                StopBits = serial.StopBits,
                Timeout = serial.Timeout,
                Retries = serial.Retries,
            },
            loggers.CreateLogger<ModbusRtuMaster>())
        : new ModbusTcpMaster(
            new ModbusTcpMasterOptions
            {
                Host = channel.Hostname,
                Port = channel.Port,
                MaxRequestsInFlight = channel.MaxPipelinedRequests,
            },
            loggers.CreateLogger<ModbusTcpMaster>());
}

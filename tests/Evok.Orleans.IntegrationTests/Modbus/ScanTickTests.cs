using System.Collections.Concurrent;
using Evok.Orleans.Buses;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Evok.Orleans.IntegrationTests.Modbus;

/// <summary>
/// The tick of a bus's scan loop (a thread of the bus's own since issue 16): a faster board joining a slow bus is
/// scanned at its own rate at once, and a bus whose boards scan once in a quarter of an hour still stops at once.
/// </summary>
public sealed class ScanTickTests
{
    [Fact]
    public async Task A_board_that_joins_a_slow_bus_is_scanned_at_its_own_rate_and_the_bus_stops_without_waiting_for_its_next_tick()
    {
        var requests = new ConcurrentDictionary<byte, int>();
        await using var server = new ScriptedModbusServer(async (header, pdu, stream) =>
        {
            requests.AddOrUpdate(header.UnitId, 1, (_, seen) => seen + 1);
            var count = (pdu[3] << 8) | pdu[4];
            await stream.WriteAsync(ScriptedModbusServer.RegisterResponse(header.TransactionId, header.UnitId, new ushort[count]));
        });
        var site = SiteConfigurationLoader.Parse("config.yaml", $$"""
            comm_channels:
              line:
                type: MODBUSTCP
                hostname: 127.0.0.1
                port: {{server.Port}}
                devices:
                  slow: {slave-id: 1, model: "13", scan_frequency: 0.001}
                  fast: {slave-id: 2, model: "13", scan_frequency: 50}
            """, new HardwareDefinitionCatalog());
        await using var buses = new BusRegistry(site, NullLoggerFactory.Instance);
        var bus = buses.ModbusBus("line");
        foreach (var device in site.Devices)
        {
            bus.Attach(new BoardMap(device), _ => Task.CompletedTask);
        }

        // The slow board set the tick to 1 000 s; the fast one, attached after it, brings it down to 20 ms.
        await Eventually.TrueAsync(
            () => Task.FromResult(requests.GetValueOrDefault((byte)2) >= 20), TimeSpan.FromSeconds(10), "the 50/s board to be scanned 20 times");
        Assert.InRange(requests.GetValueOrDefault((byte)1), 1, 4);

        // Stopping ends the wait for the next tick rather than sitting it out. A request sent just before the stop may
        // still be on its way through a busy server (CI once counted one more at once): the count is taken after that.
        await buses.StopScanningAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        var after = requests.GetValueOrDefault((byte)2);
        await Task.Delay(400);
        Assert.Equal(after, requests.GetValueOrDefault((byte)2));
    }
}

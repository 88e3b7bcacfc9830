using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Buses;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Maps;
using Microsoft.Extensions.Logging.Abstractions;

namespace Evok.Orleans.IntegrationTests.Modbus;

/// <summary>
/// <c>coalesce_reads</c>: a board's blocks that follow each other are read in one request (issue 16: half the
/// requests of a Unipi board, a third less CPU at 64 boards), and every block still gets the values of its registers.
/// </summary>
public sealed class CoalescedReadTests
{
    [Theory]
    [InlineData(true, "0+28 1000+24")]
    [InlineData(false, "0+2 2+12 14+14 1000+24")]
    public async Task A_neuron_boards_adjacent_blocks_are_read_in_one_request_unless_coalescing_is_off(bool coalesce, string expectedRequests)
    {
        // Every holding register n answers n + 7, so each block's values show which registers it got.
        var requests = new ConcurrentDictionary<string, int>();
        await using var server = new ScriptedModbusServer(async (header, pdu, stream) =>
        {
            var start = BinaryPrimitives.ReadUInt16BigEndian(pdu.AsSpan(1));
            var count = BinaryPrimitives.ReadUInt16BigEndian(pdu.AsSpan(3));
            requests.AddOrUpdate($"{start}+{count}", 1, (_, seen) => seen + 1);
            var values = Enumerable.Range(start, count).Select(register => (ushort)(register + 7)).ToArray();
            await stream.WriteAsync(ScriptedModbusServer.RegisterResponse(header.TransactionId, header.UnitId, values));
        });
        var site = SiteConfigurationLoader.Parse("config.yaml", $$"""
            comm_channels:
              line:
                type: MODBUSTCP
                hostname: 127.0.0.1
                port: {{server.Port}}
                devices:
                  1: {slave-id: 1, model: "13", scan_frequency: 50, coalesce_reads: {{(coalesce ? "true" : "false")}}}
            """, new HardwareDefinitionCatalog());
        await using var buses = new BusRegistry(site, NullLoggerFactory.Instance);
        var device = site.Devices.Single();
        var reports = new ConcurrentQueue<ModbusScanReport>();
        buses.ModbusBus("line").Attach(new BoardMap(device), report =>
        {
            reports.Enqueue(report);
            return Task.CompletedTask;
        });

        // 20 scans at 50/s: the DI/RO and counter blocks every scan, AO/AI every 10th, the configuration every 5th.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await buses.StopScanningAsync();

        Assert.Equal(expectedRequests, string.Join(' ', requests.Keys.OrderBy(request => int.Parse(request.Split('+')[0], CultureInfo.InvariantCulture))));
        var first = reports.First(report => report.Blocks.Length > 0);
        Assert.True(first.Online);
        Assert.Equal(device.Board.Blocks.Length, first.Blocks.Length);
        foreach (var block in first.Blocks)
        {
            var definition = device.Board.Blocks[block.Index];
            Assert.Equal(Enumerable.Range(definition.Start, definition.Count).Select(register => (ushort)(register + 7)), block.Values);
        }
    }
}

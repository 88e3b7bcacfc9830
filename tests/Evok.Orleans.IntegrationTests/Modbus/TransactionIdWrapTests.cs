using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Modbus.Tcp;
using Evok.Orleans.Simulator;

namespace Evok.Orleans.IntegrationTests.Modbus;

/// <summary>Runs alone (it keeps both cores busy), so the timing of other tests is not disturbed by it.</summary>
[Collection(nameof(TransactionIdWrapTests))]
[CollectionDefinition(nameof(TransactionIdWrapTests), DisableParallelization = true)]
public sealed class TransactionIdWrapTests
{
    private static readonly BoardDefinition Extension = new HardwareDefinitionCatalog().Find("13")!;

    [Fact]
    public async Task Transaction_ids_wrap_past_65535_and_every_reply_still_pairs_with_its_request()
    {
        var board = new SimulatedBoard(1, Extension);
        for (var address = 0; address < 100; address++)
        {
            board.SetRegister(address, (ushort)(address * 7));
        }

        await using var simulator = new ModbusTcpSimulator([board]);
        simulator.Start();
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = simulator.Port });
        var mismatches = 0;
        var requests = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 8), async (worker, _) =>
        {
            var buffer = new ushort[1];
            for (var i = 0; i < 8_500; i++)
            {
                var address = (worker * 11 + i) % 100;
                await master.ReadHoldingRegistersAsync(1, (ushort)address, buffer.AsMemory());
                if (buffer[0] != address * 7)
                {
                    Interlocked.Increment(ref mismatches);
                }

                Interlocked.Increment(ref requests);
            }
        });

        Assert.Equal(68_000, requests);
        Assert.Equal(0, mismatches);
    }
}

using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Tcp;
using Evok.Orleans.Simulator;

namespace Evok.Orleans.IntegrationTests.Modbus;

/// <summary>
/// The master's pipelined send, as a bus scan uses it: many reads on the wire at once, each completed exactly once,
/// by its own response or by a failure.
/// </summary>
public sealed class PipelinedSendTests
{
    private static readonly BoardDefinition Extension = new HardwareDefinitionCatalog().Find("13")!;

    [Fact]
    public async Task Reads_sent_together_beyond_the_in_flight_limit_each_complete_once_with_their_own_registers()
    {
        var boards = Enumerable.Range(1, 3).Select(unit => new SimulatedBoard((byte)unit, Extension)).ToList();
        foreach (var board in boards)
        {
            for (var address = 0; address < 20; address++)
            {
                board.SetRegister(address, (ushort)((board.UnitId * 1000) + address));
            }
        }

        await using var simulator = new ModbusTcpSimulator(boards);
        simulator.Start();
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = simulator.Port, MaxRequestsInFlight = 4 });
        var reads = Enumerable.Range(0, 30).Select(i => new RecordingRead((byte)((i % 3) + 1), (ushort)(i % 18), 2)).ToList();

        await master.SendAsync(reads);
        await Task.WhenAll(reads.Select(read => read.Completed));

        Assert.All(reads, read =>
        {
            Assert.Equal(1, read.Completions);
            Assert.Null(read.Failure);
            Assert.Equal([(ushort)((read.UnitId * 1000) + read.Start), (ushort)((read.UnitId * 1000) + read.Start + 1)], read.Registers);
        });
    }

    [Fact]
    public async Task Reads_to_an_unreachable_server_each_fail_once_with_a_connection_error()
    {
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = TestSupport.FreeTcpPort.Next() });
        var reads = Enumerable.Range(0, 5).Select(i => new RecordingRead(1, (ushort)i, 1)).ToList();

        await master.SendAsync(reads);
        await Task.WhenAll(reads.Select(read => read.Completed));

        Assert.All(reads, read =>
        {
            Assert.Equal(1, read.Completions);
            Assert.IsType<ModbusConnectionException>(read.Failure);
        });
    }

    [Fact]
    public async Task An_unanswered_read_times_out_while_the_reads_sent_with_it_complete()
    {
        var silent = new SimulatedBoard(1, Extension) { Offline = true };
        var alive = new SimulatedBoard(2, Extension);
        alive.SetRegister(3, 33);
        await using var simulator = new ModbusTcpSimulator([silent, alive]);
        simulator.Start();
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions
        {
            Host = "127.0.0.1",
            Port = simulator.Port,
            RequestTimeout = TimeSpan.FromMilliseconds(300),
        });
        var unanswered = new RecordingRead(1, 3, 1);
        var answered = new RecordingRead(2, 3, 1);

        await master.SendAsync([unanswered, answered]);
        await Task.WhenAll(unanswered.Completed, answered.Completed);

        Assert.Equal([(ushort)33], answered.Registers);
        Assert.IsType<ModbusTimeoutException>(unanswered.Failure);
        Assert.Equal(1, unanswered.Completions);
    }
}

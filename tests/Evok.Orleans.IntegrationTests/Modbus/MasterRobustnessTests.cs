using System.Collections.Concurrent;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Protocol;
using Evok.Orleans.Modbus.Tcp;
using Evok.Orleans.Simulator;

namespace Evok.Orleans.IntegrationTests.Modbus;

/// <summary>
/// The faults that made Evok report one board's registers under another's name, and the ones every controller
/// meets: a server that goes away, a unit that stops answering.
/// </summary>
public sealed class MasterRobustnessTests
{
    private static readonly BoardDefinition Extension = new HardwareDefinitionCatalog().Find("13")!;

    [Fact]
    public async Task A_late_reply_to_a_timed_out_request_is_never_taken_for_the_next_request()
    {
        var held = new ConcurrentQueue<MbapHeader>();
        await using var server = new ScriptedModbusServer(async (header, pdu, stream) =>
        {
            if (header.UnitId == 1)
            {
                held.Enqueue(header);
                return;
            }

            // Unit 2's request: first the stale answer unit 1 waited for in vain, then the right one.
            held.TryDequeue(out var late);
            await stream.WriteAsync(ScriptedModbusServer.RegisterResponse(late.TransactionId, 1, 111));
            await stream.WriteAsync(ScriptedModbusServer.RegisterResponse(header.TransactionId, 2, 222));
        });
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions
        {
            Host = "127.0.0.1",
            Port = server.Port,
            RequestTimeout = TimeSpan.FromSeconds(1),
        });

        await Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
        var values = await master.ReadHoldingRegistersAsync(2, 0, 1);

        Assert.Equal(new ushort[] { 222 }, values);
    }

    [Fact]
    public async Task A_reply_from_the_wrong_unit_is_a_protocol_error_not_data()
    {
        await using var server = new ScriptedModbusServer((header, _, stream) =>
            stream.WriteAsync(ScriptedModbusServer.RegisterResponse(header.TransactionId, (byte)(header.UnitId + 1), 999)).AsTask());
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions
        {
            Host = "127.0.0.1",
            Port = server.Port,
            RequestTimeout = TimeSpan.FromSeconds(10),
        });

        await Assert.ThrowsAsync<ModbusProtocolException>(() => master.ReadHoldingRegistersAsync(3, 0, 1));
    }

    [Fact]
    public async Task An_unanswering_unit_times_out_while_another_unit_on_the_same_connection_keeps_working()
    {
        var silent = new SimulatedBoard(1, Extension) { Offline = true };
        var alive = new SimulatedBoard(2, Extension);
        alive.SetRegister(0, 42);
        await using var simulator = new ModbusTcpSimulator([silent, alive]);
        simulator.Start();
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions
        {
            Host = "127.0.0.1",
            Port = simulator.Port,
            RequestTimeout = TimeSpan.FromSeconds(1),
        });

        var timedOut = Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
        Assert.Equal(new ushort[] { 42 }, await master.ReadHoldingRegistersAsync(2, 0, 1));
        await timedOut;
        Assert.Equal(new ushort[] { 42 }, await master.ReadHoldingRegistersAsync(2, 0, 1));
    }

    [Fact]
    public async Task The_master_reconnects_by_itself_after_the_server_comes_back()
    {
        var board = new SimulatedBoard(1, Extension);
        board.SetRegister(5, 5);
        await using var simulator = new ModbusTcpSimulator([board]);
        simulator.Start();
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = simulator.Port });
        Assert.Equal(new ushort[] { 5 }, await master.ReadHoldingRegistersAsync(1, 5, 1));

        await simulator.StopAsync();
        await Assert.ThrowsAnyAsync<ModbusException>(() => master.ReadHoldingRegistersAsync(1, 5, 1));
        simulator.Start();

        var deadline = DateTime.UtcNow.AddSeconds(5);
        ushort[]? values = null;
        while (values is null && DateTime.UtcNow < deadline)
        {
            try
            {
                values = await master.ReadHoldingRegistersAsync(1, 5, 1);
            }
            catch (ModbusConnectionException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(new ushort[] { 5 }, values!);
    }

    [Fact]
    public async Task Requests_beyond_the_protocol_limits_are_refused_before_sending()
    {
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = 1 });

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => master.ReadHoldingRegistersAsync(1, 0, 126));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => master.WriteMultipleRegistersAsync(1, 0, new ushort[124]));
    }

    [Fact]
    public async Task An_unknown_unit_behind_the_simulator_answers_gateway_exception_11()
    {
        await using var simulator = new ModbusTcpSimulator([new SimulatedBoard(1, Extension)]);
        simulator.Start();
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = simulator.Port });

        var error = await Assert.ThrowsAsync<SlaveException>(() => master.ReadHoldingRegistersAsync(9, 0, 1));

        Assert.Equal(SlaveExceptionCode.GatewayTargetDeviceFailedToRespond, error.Code);
    }
}

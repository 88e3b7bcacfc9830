using System.Diagnostics;
using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Protocol;
using Evok.Orleans.Modbus.Rtu;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Rtu;

/// <summary>Our Modbus RTU master against a slave nobody here wrote (python3-pymodbus), over a socat pty pair.</summary>
[Trait("Category", TestCategory.Peers)]
public sealed class RtuMasterAgainstPymodbusTests : IAsyncLifetime
{
    private SerialLinePair _line = null!;
    private Process _slave = null!;
    private ModbusRtuMaster _master = null!;

    public async Task InitializeAsync()
    {
        _line = await SerialLinePair.StartAsync();
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "pymodbus_rtu_server.py");
        _slave = ExternalProcess.Start("/usr/bin/python3", [script, _line.SlavePort, "19200"]);
        var ready = await _slave.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("ready", ready);
        _master = new ModbusRtuMaster(new ModbusRtuMasterOptions { Port = _line.MasterPort, BaudRate = 19200, Timeout = TimeSpan.FromSeconds(1) });

        // pymodbus opens the port a moment after it prints: the first reads may go unanswered.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                await _master.ReadHoldingRegistersAsync(1, 0, 1);
                break;
            }
            catch (ModbusTimeoutException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    public async Task DisposeAsync()
    {
        await _master.DisposeAsync();
        _slave.Kill(entireProcessTree: true);
        _slave.Dispose();
        await _line.DisposeAsync();
    }

    [Fact]
    public async Task Reads_holding_and_input_registers_and_coils()
    {
        Assert.Equal(new ushort[] { 1040, 1041, 1042 }, await _master.ReadHoldingRegistersAsync(1, 40, 3));
        Assert.Equal(new ushort[] { 2090, 2091 }, await _master.ReadInputRegistersAsync(1, 90, 2));
        Assert.Equal(new[] { true, false, false, true }, await _master.ReadCoilsAsync(1, 0, 4));
    }

    [Fact]
    public async Task Writes_coils_and_registers_and_reads_them_back()
    {
        await _master.WriteSingleCoilAsync(1, 50, true);
        await _master.WriteSingleRegisterAsync(1, 10, 0xBEEF);
        await _master.WriteMultipleRegistersAsync(1, 20, [7, 8, 9]);

        Assert.Equal(new[] { true }, await _master.ReadCoilsAsync(1, 50, 1));
        Assert.Equal(new ushort[] { 0xBEEF }, await _master.ReadHoldingRegistersAsync(1, 10, 1));
        Assert.Equal(new ushort[] { 7, 8, 9 }, await _master.ReadHoldingRegistersAsync(1, 20, 3));
    }

    [Fact]
    public async Task An_exception_reply_becomes_a_typed_slave_exception_without_a_retry()
    {
        var error = await Assert.ThrowsAsync<SlaveException>(() => _master.ReadHoldingRegistersAsync(1, 200, 5));

        Assert.Equal(SlaveExceptionCode.IllegalDataAddress, error.Code);
        Assert.Equal(0, _master.DiscardedFrames);
    }

    [Fact]
    public async Task A_slave_that_is_not_on_the_line_times_out_once_and_the_line_goes_on()
    {
        var started = Stopwatch.StartNew();
        await Assert.ThrowsAsync<ModbusTimeoutException>(() => _master.ReadHoldingRegistersAsync(7, 0, 1));
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2.9)); // one try and one retry at most

        Assert.Equal(new ushort[] { 1005 }, await _master.ReadHoldingRegistersAsync(1, 5, 1));
    }
}

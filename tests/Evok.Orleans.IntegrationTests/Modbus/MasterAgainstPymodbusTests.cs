using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Protocol;
using Evok.Orleans.Modbus.Tcp;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Modbus;

/// <summary>Our Modbus TCP master against a server nobody here wrote (python3-pymodbus).</summary>
[Trait("Category", TestCategory.Peers)]
public sealed class MasterAgainstPymodbusTests(PymodbusServer server) : IClassFixture<PymodbusServer>, IAsyncLifetime
{
    private ModbusTcpMaster _master = null!;

    public Task InitializeAsync()
    {
        _master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = server.Port, RequestTimeout = TimeSpan.FromSeconds(3) });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _master.DisposeAsync();

    [Fact]
    public async Task Reads_holding_and_input_registers()
    {
        Assert.Equal(new ushort[] { 1040, 1041, 1042 }, await _master.ReadHoldingRegistersAsync(1, 40, 3));
        Assert.Equal(new ushort[] { 2090, 2091 }, await _master.ReadInputRegistersAsync(1, 90, 2));
    }

    [Fact]
    public async Task Reads_coils_lsb_first()
    {
        var coils = await _master.ReadCoilsAsync(1, 0, 10);

        Assert.Equal(new[] { true, false, false, true, false, false, true, false, false, true }, coils);
    }

    [Fact]
    public async Task Writes_a_coil_and_reads_it_back()
    {
        await _master.WriteSingleCoilAsync(1, 50, true);
        await _master.WriteSingleCoilAsync(1, 51, false);

        Assert.Equal(new[] { true, false }, await _master.ReadCoilsAsync(1, 50, 2));
    }

    [Fact]
    public async Task Writes_single_and_multiple_registers_and_reads_them_back()
    {
        await _master.WriteSingleRegisterAsync(1, 10, 0xBEEF);
        await _master.WriteMultipleRegistersAsync(1, 20, [7, 8, 9]);

        Assert.Equal(new ushort[] { 0xBEEF }, await _master.ReadHoldingRegistersAsync(1, 10, 1));
        Assert.Equal(new ushort[] { 7, 8, 9 }, await _master.ReadHoldingRegistersAsync(1, 20, 3));
    }

    [Fact]
    public async Task An_exception_response_becomes_a_typed_slave_exception()
    {
        var error = await Assert.ThrowsAsync<SlaveException>(() => _master.ReadHoldingRegistersAsync(1, 200, 5));

        Assert.Equal(SlaveExceptionCode.IllegalDataAddress, error.Code);
        Assert.Equal(ModbusFunctionCode.ReadHoldingRegisters, error.Function);
    }

    [Fact]
    public async Task Concurrent_callers_each_get_their_own_registers()
    {
        var reads = Enumerable.Range(60, 30).Select(async address =>
            (address, values: await _master.ReadInputRegistersAsync(1, (ushort)address, 1))).ToList();

        foreach (var (address, values) in await Task.WhenAll(reads))
        {
            Assert.Equal(2000 + address, values[0]);
        }
    }
}

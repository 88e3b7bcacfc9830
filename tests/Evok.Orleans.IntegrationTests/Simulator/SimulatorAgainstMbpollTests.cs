using System.Globalization;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Simulator;

/// <summary>Our simulator against a client nobody here wrote: Debian's mbpoll.</summary>
[Trait("Category", TestCategory.Peers)]
public sealed class SimulatorAgainstMbpollTests : IAsyncLifetime
{
    private readonly ModbusTcpSimulator _simulator = SimulatedSite.CreateNeuron();

    public Task InitializeAsync()
    {
        _simulator.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task Mbpoll_reads_holding_registers_of_a_unit()
    {
        _simulator[2].SetRegister(2, 600);
        _simulator[2].SetRegister(3, 4000);

        var output = await MbpollAsync("-a", "2", "-r", "2", "-c", "2");

        Assert.Contains("[2]: \t600", output, StringComparison.Ordinal);
        Assert.Contains("[3]: \t4000", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mbpoll_reads_an_analog_input_float_low_word_first()
    {
        _simulator[2].SetAnalogInput(1, 4.25f);

        var output = await MbpollAsync("-a", "2", "-t", "4:float", "-r", "6", "-c", "1");

        Assert.Contains("[6]: \t4.25", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mbpoll_reads_a_driven_input_counter_as_a_32_bit_integer_low_word_first()
    {
        _simulator[2].SetCounter(2, 70_000);

        var output = await MbpollAsync("-a", "2", "-t", "4:int", "-r", "18", "-c", "1");

        Assert.Contains("[18]: \t70000", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coil_written_by_mbpoll_switches_the_relay_bit_like_the_hardware()
    {
        await MbpollWriteAsync(["-a", "2", "-t", "0", "-r", "3"], "1");

        Assert.True(_simulator[2].GetCoil(3));
        Assert.Equal(1 << 3, _simulator[2].GetRegister(1));
        Assert.Contains("[3]: \t1", await MbpollAsync("-a", "2", "-t", "0", "-r", "3", "-c", "1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registers_written_by_mbpoll_are_stored()
    {
        await MbpollWriteAsync(["-a", "1", "-r", "1008"], "5000", "6000");

        Assert.Equal(5000, _simulator[1].GetRegister(1008));
        Assert.Equal(6000, _simulator[1].GetRegister(1009));
    }

    [Fact]
    public async Task An_illegal_address_is_reported_to_mbpoll_as_a_modbus_exception()
    {
        var result = await ExternalProcess.RunAsync("mbpoll", Arguments("-a", "1", "-r", "65500", "-c", "100"), TimeSpan.FromSeconds(20));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Illegal data address", result.Output + result.Error, StringComparison.OrdinalIgnoreCase);
    }

    private Task<string> MbpollAsync(params string[] options) => MbpollWriteAsync(options);

    private async Task<string> MbpollWriteAsync(string[] options, params string[] values)
    {
        var result = await ExternalProcess.RunAsync("mbpoll", [.. Arguments(options), .. values], TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, $"mbpoll failed ({result.ExitCode}): {result.Output}{result.Error}");
        return result.Output;
    }

    // -0: PDU (0-based) addresses like our definitions; -1: poll once; -o: seconds to wait for an answer.
    // Values to write follow the host.
    private string[] Arguments(params string[] arguments) =>
        ["-m", "tcp", "-p", _simulator.Port.ToString(CultureInfo.InvariantCulture), "-0", "-1", "-o", "2", .. arguments, "127.0.0.1"];
}

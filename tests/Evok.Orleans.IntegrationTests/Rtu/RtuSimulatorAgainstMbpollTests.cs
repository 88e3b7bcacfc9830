using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Rtu;

/// <summary>Our RTU simulator against a master nobody here wrote (Debian's mbpoll), over a socat pty pair.</summary>
[Trait("Category", TestCategory.Peers)]
public sealed class RtuSimulatorAgainstMbpollTests
{
    [Fact]
    public async Task Mbpoll_reads_and_writes_a_simulated_board_over_rtu()
    {
        await using var line = await SerialLinePair.StartAsync();
        var board = new SimulatedBoard(3, new HardwareDefinitionCatalog().Find("xS51")!);
        board.SetRegister(1, 0x1234);
        await using var simulator = new ModbusRtuSimulator([board], line.SlavePort, 19200);
        simulator.Start();

        var read = await ExternalProcess.RunAsync("mbpoll", ["-m", "rtu", "-a", "3", "-b", "19200", "-P", "none", "-t", "4:hex", "-r", "2", "-c", "1", "-1", "-o", "1", line.MasterPort], TimeSpan.FromSeconds(20));
        Assert.True(read.ExitCode == 0, read.Output + read.Error);
        Assert.Contains("[2]: \t0x1234", read.Output, StringComparison.Ordinal);

        var write = await ExternalProcess.RunAsync("mbpoll", ["-m", "rtu", "-a", "3", "-b", "19200", "-P", "none", "-t", "4", "-r", "3", "-o", "1", line.MasterPort, "4321"], TimeSpan.FromSeconds(20));
        Assert.True(write.ExitCode == 0, write.Output + write.Error);
        Assert.Equal(4321, board.GetRegister(2));
    }
}

using Evok.Orleans.OneWire;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.OneWire;

/// <summary>Our owserver protocol client against Debian's owserver with its tester adapter (values EVOK-BUSES §3 lists).</summary>
[Trait("Category", TestCategory.Peers)]
public sealed class OwserverClientTests
{
    [Fact]
    public async Task Lists_the_tester_devices_on_the_bus_and_reads_their_computed_values()
    {
        await using var owserver = await OwserverProcess.StartAsync("--tester=28,10,26,29,3A,12");
        await using var client = new OwserverClient(port: owserver.Port);

        var devices = await client.DirAllAsync("/bus.0");

        Assert.Contains("/bus.0/28.000028D70000.11", devices);
        Assert.Contains("/bus.0/26.000026D90200.1E", devices);
        Assert.Equal("DS18B20", await client.ReadAsync("/28.000028D70000.11/type"));
        Assert.Equal("4", await client.ReadAsync("/28.000028D70000.11/temperature"));
        Assert.Equal("1.7", await client.ReadAsync("/10.000010EF0100.9F/temperature"));
        Assert.Equal("4", await client.ReadAsync("/26.000026D90200.1E/HIH4000/humidity"));
        Assert.Equal("0,1,0,1,0,1,0,1", await client.ReadAsync("/29.000029D60300.5D/sensed.ALL"));
        await client.WriteAsync("/29.000029D60300.5D/PIO.0", "1");
    }

    [Fact]
    public async Task An_absent_device_is_an_error_code_and_a_restarted_owserver_is_reconnected()
    {
        var owserver = await OwserverProcess.StartAsync("--tester=28");
        var port = owserver.Port;
        await using var client = new OwserverClient(port: port) { Timeout = TimeSpan.FromSeconds(3) };

        var absent = await Assert.ThrowsAsync<OwserverException>(() => client.ReadAsync("/28.0000000000AA.00/temperature"));
        Assert.True(absent.ErrorCode < 0);

        await owserver.DisposeAsync();
        await Assert.ThrowsAsync<OwserverException>(() => client.NopAsync());

        await using var again = await OwserverProcess.StartAsync("--tester=28", port);
        Assert.Equal("4", await client.ReadAsync("/28.000028D70000.11/temperature"));
    }
}

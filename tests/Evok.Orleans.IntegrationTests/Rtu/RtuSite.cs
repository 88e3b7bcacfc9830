using System.Globalization;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Rtu;

/// <summary>
/// An RS485 line with three xS51 modules (devices a, b, c = slaves 1, 2, 3) served by our RTU simulator on one end
/// of a socat pty pair, a silo built as the program builds it polling the other end, and a webhook receiver for
/// relays and <c>modbus_slave</c>.
/// </summary>
internal sealed class RtuSite : IAsyncDisposable
{
    private TestSilo? _silo;

    private RtuSite(SerialLinePair line, ModbusRtuSimulator simulator, WebhookReceiver receiver)
    {
        Line = line;
        Simulator = simulator;
        Receiver = receiver;
    }

    public const double ScanFrequency = 20;

    public SerialLinePair Line { get; }

    public ModbusRtuSimulator Simulator { get; }

    public WebhookReceiver Receiver { get; }

    public IGrainFactory Grains => (IGrainFactory)_silo!.Services.GetService(typeof(IGrainFactory))!;

    public static async Task<RtuSite> StartAsync(Action<ModbusRtuSimulator>? prepare = null)
    {
        var line = await SerialLinePair.StartAsync();
        var model = new HardwareDefinitionCatalog().Find("xS51")!;
        var simulator = new ModbusRtuSimulator([new SimulatedBoard(1, model), new SimulatedBoard(2, model), new SimulatedBoard(3, model)], line.SlavePort, 115200);
        prepare?.Invoke(simulator);
        simulator.Start();
        var receiver = await WebhookReceiver.StartAsync();
        var site = new RtuSite(line, simulator, receiver);
        var frequency = ScanFrequency.ToString(CultureInfo.InvariantCulture);
        var configuration = SiteConfigurationLoader.Parse("rtu.yaml", $$"""
            apis:
              port: {{FreeTcpPort.Next()}}
              webhook:
                enabled: true
                address: {{receiver.Address}}
                device_mask: [relay, modbus_slave]
                complex_events: true
            comm_channels:
              RS485_1:
                type: MODBUSRTU
                port: {{line.MasterPort}}
                baudrate: 115200
                timeout: 0.1
                devices:
                  a: {slave-id: 1, model: xS51, scan_frequency: {{frequency}}}
                  b: {slave-id: 2, model: xS51, scan_frequency: {{frequency}}}
                  c: {slave-id: 3, model: xS51, scan_frequency: {{frequency}}}
            """, new HardwareDefinitionCatalog());
        site._silo = await TestSilo.StartAsync(configuration);
        return site;
    }

    public Task<ModbusDeviceStatus> StatusAsync(string device) => Grains.GetGrain<IModbusDevicePollerGrain>(device).GetStatusAsync();

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.StopAsync();
            await _silo.DisposeAsync();
        }

        await Receiver.DisposeAsync();
        await Simulator.DisposeAsync();
        await Line.DisposeAsync();
    }
}

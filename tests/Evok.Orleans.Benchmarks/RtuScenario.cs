using System.Diagnostics;
using System.Globalization;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Rtu;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// RS485 over a socat pty pair, with the RTU simulator holding each answer back as long as a real line at the baud
/// rate would (request on the wire, 3.5-character silence, answer on the wire): (1) transactions per second our
/// master achieves on one line against the wire limit, (2) DI change → webhook latency on a line of four slaves.
/// </summary>
internal static class RtuScenario
{
    /// <summary>The read a scan of an xS51 makes every time: its first block, 27 registers.</summary>
    private const ushort Registers = 27;

    public static async Task<string> ThroughputAsync(int baudRate, TimeSpan duration)
    {
        await using var line = await SerialLinePair.StartAsync();
        await using var simulator = new ModbusRtuSimulator([new SimulatedBoard(1, new HardwareDefinitionCatalog().Find("xS51")!)], line.SlavePort, baudRate)
        {
            EmulateLineTiming = true,
        };
        simulator.Start();
        await using var master = new ModbusRtuMaster(new ModbusRtuMasterOptions { Port = line.MasterPort, BaudRate = baudRate });
        await master.ReadHoldingRegistersAsync(1, 0, Registers);

        // As a bus scan hands them over: a batch of reads at once, the next batch when the last is answered.
        var batch = Enumerable.Range(0, 10).Select(_ => new CountedRead()).ToList<ModbusExchange>();
        var transactions = 0;
        var started = Stopwatch.StartNew();
        while (started.Elapsed < duration)
        {
            CountedRead.Remaining = new CountdownEvent(batch.Count);
            await master.SendAsync(batch);
            await Task.Run(() => CountedRead.Remaining.Wait());
            transactions += batch.Count;
        }

        var achieved = transactions / started.Elapsed.TotalSeconds;
        var bits = RtuTiming.BitsPerCharacter(System.IO.Ports.Parity.None, System.IO.Ports.StopBits.One);
        var wire = RtuTiming.FrameTime(8 + 5 + (2 * Registers), baudRate, bits) + (2 * RtuTiming.FrameSilence(baudRate, bits));
        var limit = 1 / wire.TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"rtu line {baudRate} baud, read of {Registers} registers: {achieved:0.0} transactions/s of a wire limit of {limit:0.0} ({100 * achieved / limit:0.0} %), {master.DiscardedFrames} discarded, {master.Timeouts} timeouts");
    }

    private sealed class CountedRead : ModbusExchange
    {
        public static CountdownEvent Remaining { get; set; } = new(0);

        public override byte UnitId => 1;

        public override Modbus.Protocol.ModbusFunctionCode Function => Modbus.Protocol.ModbusFunctionCode.ReadHoldingRegisters;

        protected override int WriteRequest(Span<byte> pdu) => Modbus.Protocol.ModbusPdu.WriteReadRequest(pdu, Function, 0, Registers);

        protected override void OnResponse(ReadOnlySpan<byte> pdu) => Remaining.Signal();

        protected override void OnFailure(ModbusException exception) => throw exception;
    }

    public static async Task<LatencySummary> InputLatencyAsync(int changes)
    {
        const int BaudRate = 115200;
        const double ScanFrequency = 20;
        await using var line = await SerialLinePair.StartAsync();
        var model = new HardwareDefinitionCatalog().Find("xS51")!;
        await using var simulator = new ModbusRtuSimulator(Enumerable.Range(1, 4).Select(unit => new SimulatedBoard((byte)unit, model)), line.SlavePort, BaudRate)
        {
            EmulateLineTiming = true,
        };
        simulator.Start();
        await using var receiver = await WebhookReceiver.StartAsync();
        var frequency = ScanFrequency.ToString(CultureInfo.InvariantCulture);
        var site = SiteConfigurationLoader.Parse("rtu-benchmark.yaml", $$"""
            apis:
              webhook: {enabled: true, address: "{{receiver.Address}}", device_mask: [di], complex_events: true}
            comm_channels:
              RS485_1:
                type: MODBUSRTU
                port: {{line.MasterPort}}
                baudrate: {{BaudRate}}
                devices:
                  s1: {slave-id: 1, model: xS51, scan_frequency: {{frequency}}}
                  s2: {slave-id: 2, model: xS51, scan_frequency: {{frequency}}}
                  s3: {slave-id: 3, model: xS51, scan_frequency: {{frequency}}}
                  s4: {slave-id: 4, model: xS51, scan_frequency: {{frequency}}}
            """, new HardwareDefinitionCatalog());

        using var host = await InProcessSilo.StartAsync(site);
        await receiver.NextBurstAsync(TimeSpan.FromSeconds(30), quiet: TimeSpan.FromSeconds(1));

        var summary = await ChangeLatency.MeasureAsync(
            $"rtu DI change -> webhook, 4 slaves x {ScanFrequency} scans/s at {BaudRate} baud", receiver, changes, "s3_02",
            on => simulator[3].SetDigitalInput(2, on), 60, 140);
        await host.StopAsync();
        return summary;
    }
}

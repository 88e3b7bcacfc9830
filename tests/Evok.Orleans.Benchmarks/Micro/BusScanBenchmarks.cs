using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Protocol;
using Evok.Orleans.Modbus.Tcp;
using Evok.Orleans.Simulator;

namespace Evok.Orleans.Benchmarks.Micro;

/// <summary>
/// The I/O of one scan tick when nothing changed, over real Modbus TCP (the simulator, in this process): the blocks
/// a model-13 board reads on every scan, for every board, sent as one pipelined write through the master, answered,
/// decoded and compared with the registers of the last scan, as the bus scanner does. Allocated must be 0 B.
/// </summary>
[MemoryDiagnoser]
public class BusScanBenchmarks
{
    private readonly List<ModbusExchange> _reads = [];
    private ModbusTcpSimulator _simulator = null!;
    private ModbusTcpMaster _master = null!;
    private int _remaining;
    private ModbusException? _failure;

    [Params(1, 64)]
    public int Boards { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = new HardwareDefinitionCatalog().Find("13")!;
        _simulator = new ModbusTcpSimulator(Enumerable.Range(1, Boards).Select(unit => new SimulatedBoard((byte)unit, model)));
        _simulator.Start();
        _master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = _simulator.Port });
        foreach (var unit in Enumerable.Range(1, Boards))
        {
            foreach (var block in model.Blocks.Where(block => block.Frequency == 1))
            {
                _reads.Add(new UnchangedBlockRead(this, (byte)unit, block));
            }
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _master.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Benchmark(Description = "Scan tick: every-scan blocks of unchanged boards, one pipelined write")]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ScanUnchangedBoards()
    {
        Volatile.Write(ref _remaining, _reads.Count);
        await _master.SendAsync(_reads);
        var spin = default(SpinWait);
        while (Volatile.Read(ref _remaining) > 0)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        if (_failure is { } failure)
        {
            throw failure;
        }
    }

    private sealed class UnchangedBlockRead(BusScanBenchmarks owner, byte unitId, RegisterBlock block) : ModbusExchange
    {
        private readonly ushort[] _incoming = new ushort[block.Count];
        private readonly ushort[] _image = new ushort[block.Count];

        public override byte UnitId { get; } = unitId;

        public override ModbusFunctionCode Function => ModbusFunctionCode.ReadHoldingRegisters;

        protected override int WriteRequest(Span<byte> pdu) =>
            ModbusPdu.WriteReadRequest(pdu, Function, (ushort)block.Start, (ushort)block.Count);

        protected override void OnResponse(ReadOnlySpan<byte> pdu)
        {
            ModbusPdu.ReadRegisters(pdu, Function, _incoming);
            if (!_incoming.AsSpan().SequenceEqual(_image))
            {
                _incoming.CopyTo(_image, 0);
            }

            Interlocked.Decrement(ref owner._remaining);
        }

        protected override void OnFailure(ModbusException exception)
        {
            owner._failure = exception;
            Interlocked.Decrement(ref owner._remaining);
        }
    }
}

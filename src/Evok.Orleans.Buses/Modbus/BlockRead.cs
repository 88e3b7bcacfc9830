using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.Buses.Modbus;

/// <summary>
/// One request of a scan: blocks <see cref="First"/> to <see cref="Last"/> of a board (in address order, of one
/// kind, each starting where the one before ends), read at once. Made once and sent again on every scan that reads
/// this span.
/// </summary>
internal sealed class BlockRead(BoardScan scan, int[] run, int first, int last) : ModbusExchange
{
    private readonly RegisterBlock _start = scan.Board.Blocks[run[first]];
    private readonly RegisterBlock _end = scan.Board.Blocks[run[last]];

    /// <summary>The indexes (in the board's definition) of the blocks this request reads.</summary>
    public ReadOnlySpan<int> Blocks => run.AsSpan(first, last - first + 1);

    /// <summary>When the current read was sent (<see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long SentAt { get; set; }

    /// <summary>The current read's place in the bus's order.</summary>
    public long Sequence { get; set; }

    public override byte UnitId => scan.Board.Device.SlaveId;

    public override ModbusFunctionCode Function =>
        _start.Kind == RegisterBlockKind.Input ? ModbusFunctionCode.ReadInputRegisters : ModbusFunctionCode.ReadHoldingRegisters;

    private int Count => _end.Start + _end.Count - _start.Start;

    protected override int WriteRequest(Span<byte> pdu) =>
        ModbusPdu.WriteReadRequest(pdu, Function, (ushort)_start.Start, (ushort)Count);

    protected override void OnResponse(ReadOnlySpan<byte> pdu)
    {
        ModbusPdu.ReadRegisters(pdu, Function, scan.Incoming.AsSpan(_start.ImageStart, Count));
        scan.OnBlockRead(failure: null);
    }

    protected override void OnFailure(ModbusException exception) => scan.OnBlockRead(exception);
}

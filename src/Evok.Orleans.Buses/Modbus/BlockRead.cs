using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.Buses.Modbus;

/// <summary>
/// The request of a scan for one run of a board's blocks (in address order, of one kind, each starting where the one
/// before ends): on each scan it reads the run's blocks from the first due one to the last due one, at once. Made
/// once per run and sent again on every scan that reads from the run; a board's scans never overlap, so the span is
/// set anew before each send.
/// </summary>
internal sealed class BlockRead(BoardScan scan, int[] run) : ModbusExchange
{
    private int _first;
    private int _last;

    /// <summary>The indexes (in the board's definition) of the blocks the current request reads.</summary>
    public ReadOnlySpan<int> Blocks => run.AsSpan(_first, _last - _first + 1);

    /// <summary>Reads the run's blocks at positions <paramref name="first"/> to <paramref name="last"/> next.</summary>
    public void Span(int first, int last) => (_first, _last) = (first, last);

    /// <summary>When the current read was sent (<see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long SentAt { get; set; }

    /// <summary>The current read's place in the bus's order.</summary>
    public long Sequence { get; set; }

    // Kept in fields: the connection asks for both on every send and every response, and the chain of references
    // behind them was ~2 % of the silo's CPU samples under load at 64 boards (perf, issue 16). A run is of one kind.
    public override byte UnitId { get; } = scan.Board.Device.SlaveId;

    public override ModbusFunctionCode Function { get; } = scan.Board.Blocks[run[0]].Kind == RegisterBlockKind.Input
        ? ModbusFunctionCode.ReadInputRegisters
        : ModbusFunctionCode.ReadHoldingRegisters;

    private RegisterBlock Start => scan.Board.Blocks[run[_first]];

    private RegisterBlock End => scan.Board.Blocks[run[_last]];

    private int Count => End.Start + End.Count - Start.Start;

    protected override int WriteRequest(Span<byte> pdu) =>
        ModbusPdu.WriteReadRequest(pdu, Function, (ushort)Start.Start, (ushort)Count);

    protected override void OnResponse(ReadOnlySpan<byte> pdu)
    {
        ModbusPdu.ReadRegisters(pdu, Function, scan.Incoming.AsSpan(Start.ImageStart, Count));
        scan.OnBlockRead(failure: null);
    }

    protected override void OnFailure(ModbusException exception) => scan.OnBlockRead(exception);
}

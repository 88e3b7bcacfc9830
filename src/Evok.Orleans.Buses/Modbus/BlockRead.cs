using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.Buses.Modbus;

/// <summary>The read of one register block of a board, made once and sent again on every scan that is due to read it.</summary>
internal sealed class BlockRead(BoardScan scan, int index, RegisterBlock block) : ModbusExchange
{
    public int Index { get; } = index;

    public RegisterBlock Block { get; } = block;

    /// <summary>When the current read was sent (<see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long SentAt { get; set; }

    /// <summary>The current read's place in the bus's order.</summary>
    public long Sequence { get; set; }

    public override byte UnitId => scan.Board.Device.SlaveId;

    public override ModbusFunctionCode Function =>
        Block.Kind == RegisterBlockKind.Input ? ModbusFunctionCode.ReadInputRegisters : ModbusFunctionCode.ReadHoldingRegisters;

    protected override int WriteRequest(Span<byte> pdu) =>
        ModbusPdu.WriteReadRequest(pdu, Function, (ushort)Block.Start, (ushort)Block.Count);

    protected override void OnResponse(ReadOnlySpan<byte> pdu)
    {
        ModbusPdu.ReadRegisters(pdu, Function, scan.Incoming.AsSpan(Block.ImageStart, Block.Count));
        scan.OnBlockRead(failure: null);
    }

    protected override void OnFailure(ModbusException exception) => scan.OnBlockRead(exception);
}

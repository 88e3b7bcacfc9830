using System.Buffers.Binary;

namespace Evok.Orleans.Modbus.Protocol;

/// <summary>
/// The 7-byte Modbus TCP header: transaction id, protocol id (0), length of what follows (unit id + PDU), unit id.
/// </summary>
public readonly record struct MbapHeader(ushort TransactionId, ushort ProtocolId, ushort Length, byte UnitId)
{
    public int PduLength => Length - 1;

    public static MbapHeader Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt16BigEndian(source),
        BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
        BinaryPrimitives.ReadUInt16BigEndian(source[4..]),
        source[6]);

    /// <summary>Whether the header can start a valid frame: protocol 0 and a PDU of 1..253 bytes.</summary>
    public bool IsValid => ProtocolId == 0 && Length >= 2 && Length <= ModbusLimits.MaxPduLength + 1;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], ProtocolId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], Length);
        destination[6] = UnitId;
    }
}

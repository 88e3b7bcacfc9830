using System.Buffers.Binary;

namespace Evok.Orleans.Modbus.Protocol;

/// <summary>Request PDU encoding and response PDU decoding for the function codes this project uses.</summary>
public static class ModbusPdu
{
    /// <summary>FC 1-4: function, start, quantity.</summary>
    public static int WriteReadRequest(Span<byte> pdu, ModbusFunctionCode function, ushort start, ushort quantity)
    {
        pdu[0] = (byte)function;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], start);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], quantity);
        return 5;
    }

    /// <summary>FC 5 and 6: function, address, value (0xFF00 / 0x0000 for a coil).</summary>
    public static int WriteSingleRequest(Span<byte> pdu, ModbusFunctionCode function, ushort address, ushort value)
    {
        pdu[0] = (byte)function;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], value);
        return 5;
    }

    public static int WriteMultipleRegistersRequest(Span<byte> pdu, ushort start, ReadOnlySpan<ushort> values)
    {
        pdu[0] = (byte)ModbusFunctionCode.WriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], start);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], (ushort)values.Length);
        pdu[5] = (byte)(values.Length * 2);
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(pdu[(6 + (2 * i))..], values[i]);
        }

        return 6 + (2 * values.Length);
    }

    public static int WriteMultipleCoilsRequest(Span<byte> pdu, ushort start, ReadOnlySpan<bool> values)
    {
        pdu[0] = (byte)ModbusFunctionCode.WriteMultipleCoils;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], start);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], (ushort)values.Length);
        var byteCount = (values.Length + 7) / 8;
        pdu[5] = (byte)byteCount;
        pdu.Slice(6, byteCount).Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i])
            {
                pdu[6 + (i / 8)] |= (byte)(1 << (i % 8));
            }
        }

        return 6 + byteCount;
    }

    /// <summary>Throws <see cref="SlaveException"/> when the response is an exception response.</summary>
    public static void ThrowIfException(ReadOnlySpan<byte> response, ModbusFunctionCode function)
    {
        if (response.Length >= 2 && response[0] == ((byte)function | 0x80))
        {
            throw new SlaveException(function, (SlaveExceptionCode)response[1]);
        }
    }

    /// <summary>Decodes an FC 3/4 response into <paramref name="destination"/>, checking the byte count.</summary>
    public static void ReadRegisters(ReadOnlySpan<byte> response, ModbusFunctionCode function, Span<ushort> destination)
    {
        ThrowIfException(response, function);
        var expected = destination.Length * 2;
        if (response.Length != expected + 2 || response[1] != expected)
        {
            throw new ModbusProtocolException($"{function}: expected {expected} data bytes, got a {response.Length}-byte response");
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadUInt16BigEndian(response[(2 + (2 * i))..]);
        }
    }

    /// <summary>Decodes an FC 1/2 response into <paramref name="destination"/>, checking the byte count.</summary>
    public static void ReadBits(ReadOnlySpan<byte> response, ModbusFunctionCode function, Span<bool> destination)
    {
        ThrowIfException(response, function);
        var expected = (destination.Length + 7) / 8;
        if (response.Length != expected + 2 || response[1] != expected)
        {
            throw new ModbusProtocolException($"{function}: expected {expected} data bytes, got a {response.Length}-byte response");
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (response[2 + (i / 8)] & (1 << (i % 8))) != 0;
        }
    }

    /// <summary>Checks a write response, which echoes the first 5 bytes of the request.</summary>
    public static void CheckWriteEcho(ReadOnlySpan<byte> response, ReadOnlySpan<byte> request)
    {
        ThrowIfException(response, (ModbusFunctionCode)request[0]);
        if (response.Length != 5 || !response.SequenceEqual(request[..5]))
        {
            throw new ModbusProtocolException($"{(ModbusFunctionCode)request[0]}: the response does not echo the request");
        }
    }
}

using System.Buffers.Binary;
using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.Simulator;

/// <summary>Answers one request PDU for a simulated board, the way a Modbus server must (exception responses included).</summary>
internal static class ModbusRequestHandler
{
    /// <summary>Writes the response PDU and returns its length.</summary>
    public static int Handle(SimulatedBoard board, ReadOnlySpan<byte> request, Span<byte> response)
    {
        if (request.Length < 5)
        {
            return Exception(response, request.IsEmpty ? (byte)0 : request[0], SlaveExceptionCode.IllegalDataValue);
        }

        var function = (ModbusFunctionCode)request[0];
        var address = BinaryPrimitives.ReadUInt16BigEndian(request[1..]);
        var quantityOrValue = BinaryPrimitives.ReadUInt16BigEndian(request[3..]);
        switch (function)
        {
            case ModbusFunctionCode.ReadCoils:
            case ModbusFunctionCode.ReadDiscreteInputs:
                {
                    if (quantityOrValue is < 1 or > ModbusLimits.MaxReadBits)
                    {
                        return Exception(response, request[0], SlaveExceptionCode.IllegalDataValue);
                    }

                    if (address + quantityOrValue > ushort.MaxValue + 1)
                    {
                        return Exception(response, request[0], SlaveExceptionCode.IllegalDataAddress);
                    }

                    Span<bool> bits = stackalloc bool[quantityOrValue];
                    board.ReadCoils(address, bits);
                    var byteCount = (quantityOrValue + 7) / 8;
                    response[0] = request[0];
                    response[1] = (byte)byteCount;
                    response.Slice(2, byteCount).Clear();
                    for (var i = 0; i < bits.Length; i++)
                    {
                        if (bits[i])
                        {
                            response[2 + (i / 8)] |= (byte)(1 << (i % 8));
                        }
                    }

                    return 2 + byteCount;
                }

            case ModbusFunctionCode.ReadHoldingRegisters:
            case ModbusFunctionCode.ReadInputRegisters:
                {
                    if (quantityOrValue is < 1 or > ModbusLimits.MaxReadRegisters)
                    {
                        return Exception(response, request[0], SlaveExceptionCode.IllegalDataValue);
                    }

                    if (address + quantityOrValue > ushort.MaxValue + 1)
                    {
                        return Exception(response, request[0], SlaveExceptionCode.IllegalDataAddress);
                    }

                    Span<ushort> registers = stackalloc ushort[quantityOrValue];
                    board.ReadRegisters(address, registers);
                    response[0] = request[0];
                    response[1] = (byte)(quantityOrValue * 2);
                    for (var i = 0; i < registers.Length; i++)
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(response[(2 + (2 * i))..], registers[i]);
                    }

                    return 2 + (2 * quantityOrValue);
                }

            case ModbusFunctionCode.WriteSingleCoil:
                if (quantityOrValue is not (0xFF00 or 0x0000))
                {
                    return Exception(response, request[0], SlaveExceptionCode.IllegalDataValue);
                }

                board.SetCoil(address, quantityOrValue == 0xFF00);
                return Echo(request, response);

            case ModbusFunctionCode.WriteSingleRegister:
                board.WriteRegisters(address, [quantityOrValue]);
                return Echo(request, response);

            case ModbusFunctionCode.WriteMultipleRegisters:
                {
                    if (quantityOrValue is < 1 or > ModbusLimits.MaxWriteRegisters || request.Length < 6 ||
                        request[5] != quantityOrValue * 2 || request.Length != 6 + (quantityOrValue * 2))
                    {
                        return Exception(response, request[0], SlaveExceptionCode.IllegalDataValue);
                    }

                    if (address + quantityOrValue > ushort.MaxValue + 1)
                    {
                        return Exception(response, request[0], SlaveExceptionCode.IllegalDataAddress);
                    }

                    Span<ushort> values = stackalloc ushort[quantityOrValue];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = BinaryPrimitives.ReadUInt16BigEndian(request[(6 + (2 * i))..]);
                    }

                    board.WriteRegisters(address, values);
                    return Echo(request, response);
                }

            case ModbusFunctionCode.WriteMultipleCoils:
                {
                    var byteCount = (quantityOrValue + 7) / 8;
                    if (quantityOrValue is < 1 or > ModbusLimits.MaxWriteCoils || request.Length < 6 ||
                        request[5] != byteCount || request.Length != 6 + byteCount)
                    {
                        return Exception(response, request[0], SlaveExceptionCode.IllegalDataValue);
                    }

                    if (address + quantityOrValue > ushort.MaxValue + 1)
                    {
                        return Exception(response, request[0], SlaveExceptionCode.IllegalDataAddress);
                    }

                    for (var i = 0; i < quantityOrValue; i++)
                    {
                        board.SetCoil(address + i, (request[6 + (i / 8)] & (1 << (i % 8))) != 0);
                    }

                    return Echo(request, response);
                }

            default:
                return Exception(response, request[0], SlaveExceptionCode.IllegalFunction);
        }
    }

    public static int Exception(Span<byte> response, byte function, SlaveExceptionCode code)
    {
        response[0] = (byte)(function | 0x80);
        response[1] = (byte)code;
        return 2;
    }

    private static int Echo(ReadOnlySpan<byte> request, Span<byte> response)
    {
        request[..5].CopyTo(response);
        return 5;
    }
}

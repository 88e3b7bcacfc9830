using System.Collections.Immutable;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Hardware.Writes;

/// <summary>A Modbus write that sets (part of) one circuit property, already validated and encoded.</summary>
public sealed record ModbusWrite(ModbusWriteKind Kind, ushort Address, ImmutableArray<ushort> Values)
{
    public static ModbusWrite Coil(int address, bool on) => new(ModbusWriteKind.Coil, checked((ushort)address), [on ? (ushort)1 : (ushort)0]);

    public static ModbusWrite Register(int address, ushort value) => new(ModbusWriteKind.Register, checked((ushort)address), [value]);

    public static ModbusWrite Registers(int address, params ReadOnlySpan<ushort> values) =>
        new(ModbusWriteKind.Registers, checked((ushort)address), [.. values]);

    /// <summary>Sets the written registers in an image, as the board will hold them (coils are not in the image).</summary>
    public void ApplyTo(RegisterImage registers)
    {
        if (Kind == ModbusWriteKind.Coil)
        {
            return;
        }

        for (var i = 0; i < Values.Length && Address + i < registers.Size; i++)
        {
            registers[Address + i] = Values[i];
        }
    }
}

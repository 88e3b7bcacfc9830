using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Hardware.Features;

/// <summary>
/// Values a module reports (Evok's <c>DATA_POINT</c>, Evok 2's <c>UNIT_REGISTER</c>): circuit k reads register
/// <c>value_reg + k</c> (a float32 also the next one, first register the high word), scaled as
/// raw × <c>factor</c> + <c>offset</c> when either is set. <c>signed16</c> is read as signed (Evok reads every 16-bit
/// data point unsigned, so a negative temperature shows as 655.xx there); a data type Evok does not know reads null.
/// The registers lie in the image <paramref name="imageOffset"/> past their address (input registers, see
/// <see cref="Definitions.RegisterBlock.ImageStart"/>).
/// </summary>
public sealed class DataPointFeature(int count, int line, int imageOffset, DataPointFormat format) : Feature(DeviceKind.DataPoint, count, line)
{
    public DataPointFormat Format { get; } = format;

    public override IEnumerable<int> RegistersOf(int index)
    {
        var register = imageOffset + Format.ValueRegister + index;
        yield return register;
        if (Format.DataType == "float32")
        {
            yield return register + 1;
        }

        if (Format.ValidMaskRegister is { } mask)
        {
            yield return imageOffset + mask + (index / 16);
        }
    }

    public override string CircuitName(string device, int index, int number) => $"{device}_{Format.ValueRegister + index}";

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId)
    {
        var register = imageOffset + Format.ValueRegister + index;
        double? raw = Format.DataType switch
        {
            null or "unsigned16" => registers[register],
            "signed16" => (short)registers[register],
            "float32" => BitConverter.Int32BitsToSingle((registers[register] << 16) | registers[register + 1]),
            _ => null,
        };
        var scaled = Format.Factor != 1 || Format.Offset != 0;
        return new DataPointState
        {
            Circuit = circuit,
            GlobalDeviceId = globalDeviceId,
            Value = scaled ? (raw * Format.Factor) + Format.Offset : raw,
            IsInteger = !scaled && Format.DataType != "float32",
            Name = Format.Name,
            Unit = Format.Unit,
            Valid = Format.ValidMaskRegister is { } mask ? Bit(registers, imageOffset + mask, index) == 1 : null,
        };
    }
}

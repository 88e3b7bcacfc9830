using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>Analog inputs: float32 values (low word first), one mode register per input when the board has them.</summary>
public sealed class AnalogInputFeature(int count, int line, ImmutableArray<AnalogMode> modes, int valueRegister, int? modeRegister)
    : Feature(DeviceKind.AnalogInput, count, line)
{
    public int ValueRegister { get; } = valueRegister;

    public override IEnumerable<int> RegistersOf(int index)
    {
        yield return ValueRegister + (2 * index);
        yield return ValueRegister + (2 * index) + 1;
        if (modeRegister is { } mode)
        {
            yield return mode + index;
        }
    }

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId)
    {
        var mode = AnalogModeSelection.Select(modes, modeRegister is { } register ? registers[register + index] : null);
        return new AnalogInputState
        {
            Circuit = circuit,
            GlobalDeviceId = globalDeviceId,
            Value = PythonRound.Round(Float32(registers, ValueRegister + (2 * index)), 3),
            Unit = mode.Unit,
            Mode = mode.Name,
            Modes = modes,
            Range = mode.Range,
        };
    }

    public override IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers)
    {
        if (property != "mode")
        {
            throw WriteValue.Unsupported(property, TypeName);
        }

        var mode = AnalogModeSelection.Find(modes, value);
        return modeRegister is { } register && mode.RegisterValue is { } selector
            ? [ModbusWrite.Register(register + index, (ushort)selector)]
            : throw new DeviceWriteException(property, "this input has no mode register");
    }
}

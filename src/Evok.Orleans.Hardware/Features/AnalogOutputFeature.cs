using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>An extension board's analog output: a 12-bit register, 2.5 mV per step.</summary>
public sealed class AnalogOutputFeature(int count, int line, ImmutableArray<AnalogMode> modes, int valueRegister, int? modeRegister)
    : Feature(DeviceKind.AnalogOutput, count, line)
{
    private const double VoltsPerStep = 0.0025;
    private const int MaxRaw = 4095;

    public override IEnumerable<int> RegistersOf(int index)
    {
        yield return valueRegister + index;
        if (modeRegister is { } mode)
        {
            yield return mode;
        }
    }

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId)
    {
        var mode = AnalogModeSelection.Select(modes, modeRegister is { } register ? registers[register] : null);
        return new AnalogOutputState
        {
            Circuit = circuit,
            GlobalDeviceId = globalDeviceId,
            IsBrainOutput = false,
            Mode = mode.Name,
            Modes = modes,
            Value = PythonRound.Round(registers[valueRegister + index] * VoltsPerStep, 3),
            Unit = mode.Unit,
            Range = mode.Range,
        };
    }

    // Evok truncates (int(v / 0.0025)), so 1.5 V reads back as 1.498 V; rounding to the nearest step reads back 1.5.
    public override IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers)
    {
        var current = AnalogModeSelection.Select(modes, modeRegister is { } register ? registers[register] : null);
        switch (property)
        {
            case "value":
                var volts = AnalogModeSelection.ParseInRange(current, value);
                return [ModbusWrite.Register(valueRegister + index, (ushort)Math.Clamp((int)Math.Round(volts / VoltsPerStep), 0, MaxRaw))];
            case "mode":
                var mode = AnalogModeSelection.Find(modes, value);
                if (modeRegister is null || mode.RegisterValue is null)
                {
                    return mode == current ? [] : throw new DeviceWriteException(property, $"this output has no mode register; its mode is {current.Name}");
                }

                return [ModbusWrite.Register(modeRegister.Value, (ushort)mode.RegisterValue.Value)];
            default:
                throw WriteValue.Unsupported(property, TypeName);
        }
    }
}

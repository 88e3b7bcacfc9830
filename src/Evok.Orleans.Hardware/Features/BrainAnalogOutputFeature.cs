using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>The brain board's analog output (BAO): float32 value, Voltage / Current / Resistance by mode register.</summary>
public sealed class BrainAnalogOutputFeature(int count, int line, int valueRegister, int resistanceRegister, int modeRegister)
    : Feature(DeviceKind.AnalogOutput, count, line)
{
    public static readonly ImmutableArray<AnalogMode> FixedModes =
    [
        new("Voltage", 0, "V", new ModeRange(0, 10)),
        new("Current", 1, "mA", new ModeRange(0, 20)),
        new("Resistance", 2, "Ohm", new ModeRange(0, 2000)),
    ];

    public override IEnumerable<int> RegistersOf(int index)
    {
        yield return valueRegister + (2 * index);
        yield return valueRegister + (2 * index) + 1;
        yield return resistanceRegister + (2 * index);
        yield return resistanceRegister + (2 * index) + 1;
        yield return modeRegister + index;
    }

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId)
    {
        var mode = SelectMode(registers[modeRegister + index]);
        var source = mode.Name == "Resistance" ? resistanceRegister : valueRegister;
        return new AnalogOutputState
        {
            Circuit = circuit,
            GlobalDeviceId = globalDeviceId,
            IsBrainOutput = true,
            Mode = mode.Name,
            Modes = FixedModes,
            Unit = mode.Unit,
            Value = PythonRound.Round(Float32(registers, source + (2 * index)), 3),
        };
    }

    public override IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers)
    {
        switch (property)
        {
            case "value":
                var mode = SelectMode(registers[modeRegister + index]);
                if (mode.Name == "Resistance")
                {
                    throw new DeviceWriteException(property, "in Resistance mode the output measures; its value is read-only");
                }

                var (low, high) = Float32Words((float)AnalogModeSelection.ParseInRange(mode, value));
                return [ModbusWrite.Registers(valueRegister + (2 * index), low, high)];
            case "mode":
                return [ModbusWrite.Register(modeRegister + index, (ushort)AnalogModeSelection.Find(FixedModes, value).RegisterValue!.Value)];
            default:
                throw WriteValue.Unsupported(property, TypeName);
        }
    }

    private static AnalogMode SelectMode(ushort register) => register switch
    {
        0 => FixedModes[0],
        1 => FixedModes[1],
        _ => FixedModes[2],
    };
}

using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>
/// 18-bit analog inputs (Evok's <c>AI18</c>, the IC-AiUC8 card): input k is the 32-bit count in registers
/// <c>val_reg + 2k</c> (low word first), its mode register <c>mode_reg + k</c> holds 1 for Current, anything else
/// Voltage.
/// </summary>
public sealed class AnalogInput18Feature(int count, int line, ImmutableArray<string> modes, int valueRegister, int modeRegister)
    : Feature(DeviceKind.AnalogInput, count, line)
{
    public override IEnumerable<int> RegistersOf(int index) =>
        [valueRegister + (2 * index), valueRegister + (2 * index) + 1, modeRegister + index];

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId)
    {
        var register = valueRegister + (2 * index);
        return new AnalogInput18State
        {
            Circuit = circuit,
            GlobalDeviceId = globalDeviceId,
            Value = registers[register] | ((long)registers[register + 1] << 16),
            Mode = registers[modeRegister + index] == 1 ? "Current" : "Voltage",
            Modes = modes,
        };
    }

    public override IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers)
    {
        switch (property)
        {
            case "mode" when modes.Contains(value, StringComparer.Ordinal) && value is "Voltage" or "Current":
                return [ModbusWrite.Register(modeRegister + index, (ushort)(value == "Current" ? 1 : 0))];
            case "mode":
                throw new DeviceWriteException(property, $"expected one of {string.Join(", ", modes.Where(mode => mode is "Voltage" or "Current"))}");
            case "range" when value == AnalogInput18State.RangeModes[0]:
                // Evok's default, the only range served: the count as the card reports it.
                return [];
            case "range":
                throw new DeviceWriteException(property, $"only '{AnalogInput18State.RangeModes[0]}' is served (the raw count)");
            default:
                throw WriteValue.Unsupported(property, TypeName);
        }
    }
}

using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>Digital inputs with optional counter, debounce and DirectSwitch registers.</summary>
public sealed class DigitalInputFeature(
    int count,
    int line,
    ImmutableArray<string> modes,
    ImmutableArray<string> directSwitchModes,
    int valueRegister,
    int? counterRegister,
    int? debounceRegister,
    DirectSwitchRegisters? directSwitch)
    : Feature(DeviceKind.DigitalInput, count, line)
{
    public int ValueRegister { get; } = valueRegister;

    public int? CounterRegister { get; } = counterRegister;

    public override IEnumerable<int> RegistersOf(int index)
    {
        yield return ValueRegister + (index / 16);
        if (CounterRegister is { } counter)
        {
            yield return counter + (2 * index);
            yield return counter + (2 * index) + 1;
        }

        if (debounceRegister is { } debounce)
        {
            yield return debounce + index;
        }

        if (directSwitch is { } ds)
        {
            yield return ds.Enable;
            yield return ds.Polarity;
            yield return ds.Toggle;
        }
    }

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId)
    {
        string? directSwitchMode = null;
        if (directSwitch is { } ds && Bit(registers[ds.Enable], index) == 1)
        {
            directSwitchMode = Bit(registers[ds.Polarity], index) == 1 ? "Inverted"
                : Bit(registers[ds.Toggle], index) == 1 ? "Toggle"
                : "Simple";
        }

        return new DigitalInputState
        {
            Circuit = circuit,
            GlobalDeviceId = globalDeviceId,
            Value = Bit(registers, ValueRegister, index),
            Debounce = debounceRegister is { } debounce ? registers[debounce + index] : 0,
            Counter = CounterRegister is { } counter
                ? registers[counter + (2 * index)] + ((long)registers[counter + (2 * index) + 1] << 16)
                : 0,
            Mode = directSwitchMode is null ? "Simple" : "DirectSwitch",
            Modes = modes,
            DirectSwitchMode = directSwitchMode,
            DirectSwitchModes = directSwitchModes,
        };
    }

    public override IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers)
    {
        switch (property)
        {
            case "debounce" when debounceRegister is { } debounce:
                return [ModbusWrite.Register(debounce + index, (ushort)WriteValue.Integer(property, value, 0, ushort.MaxValue))];
            case "counter" when CounterRegister is { } counter:
                var count = WriteValue.Integer(property, value, 0, uint.MaxValue);
                return [ModbusWrite.Registers(counter + (2 * index), (ushort)(count & 0xFFFF), (ushort)(count >> 16))];
            case "mode" when directSwitch is { } ds:
                var direct = WriteValue.Choice(property, value, modes) == "DirectSwitch";
                return [WithBit(registers, ds.Enable, index, direct)];
            case "ds_mode" when directSwitch is { } ds:
                var dsMode = WriteValue.Choice(property, value, directSwitchModes);
                return
                [
                    WithBit(registers, ds.Polarity, index, dsMode == "Inverted"),
                    WithBit(registers, ds.Toggle, index, dsMode == "Toggle"),
                ];
            default:
                throw WriteValue.Unsupported(property, "di");
        }
    }
}

using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>User LEDs: a bit each in a value register, switched by coils.</summary>
public sealed class LedFeature(int count, int line, int valueRegister, int valueCoil)
    : Feature(DeviceKind.Led, count, line)
{
    public int ValueRegister { get; } = valueRegister;

    public int ValueCoil { get; } = valueCoil;

    public override IEnumerable<int> RegistersOf(int index) => [ValueRegister + (index / 16)];

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId) =>
        new LedState { Circuit = circuit, GlobalDeviceId = globalDeviceId, Value = Bit(registers, ValueRegister, index) };

    public override IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers) =>
        property == "value"
            ? [ModbusWrite.Coil(ValueCoil + index, WriteValue.OnOff(property, value))]
            : throw WriteValue.Unsupported(property, TypeName);
}

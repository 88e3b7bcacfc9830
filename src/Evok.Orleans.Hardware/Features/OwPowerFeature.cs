using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>
/// The coil that powers the board's 1-Wire bus (<c>type: OWPOWER</c>, <c>val_coil</c>): one circuit named after the
/// device, as in Evok. It has no register to read back, so its state shows the value last written.
/// </summary>
public sealed class OwPowerFeature(int line, int valueCoil) : Feature(DeviceKind.OwPower, 1, line)
{
    public int ValueCoil { get; } = valueCoil;

    public override IEnumerable<int> RegistersOf(int index) => [];

    public override string CircuitName(string device, int index, int number) => device;

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId) =>
        new OwPowerState { Circuit = circuit, GlobalDeviceId = globalDeviceId, Value = 0 };

    public override IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers) =>
        property == "value"
            ? [ModbusWrite.Coil(ValueCoil, WriteValue.OnOff(property, value))]
            : throw WriteValue.Unsupported(property, TypeName);
}

using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>
/// A board's command coil (<c>type: OWPOWER</c> or <c>NV_SAVE</c>, <c>val_coil</c>): one circuit named after the
/// device, as in Evok. It has no register to read back, so its state shows the value last written.
/// </summary>
public sealed class CoilFeature(DeviceKind kind, int line, int valueCoil) : Feature(kind, 1, line)
{
    public int ValueCoil { get; } = valueCoil;

    public override IEnumerable<int> RegistersOf(int index) => [];

    public override string CircuitName(string device, int index, int number) => device;

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId) =>
        new CoilState { Circuit = circuit, GlobalDeviceId = globalDeviceId, CoilKind = Kind, Value = 0 };

    public override IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers) =>
        property == "value"
            ? [ModbusWrite.Coil(ValueCoil, WriteValue.OnOff(property, value))]
            : throw WriteValue.Unsupported(property, TypeName);
}

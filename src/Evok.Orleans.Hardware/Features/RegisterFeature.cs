using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Writes;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Hardware.Features;

/// <summary>Raw registers, each a circuit named <c>&lt;device&gt;_&lt;address&gt;</c>.</summary>
public sealed class RegisterFeature(int count, int line, int startRegister)
    : Feature(DeviceKind.Register, count, line)
{
    public override IEnumerable<int> RegistersOf(int index) => [startRegister + index];

    public override string CircuitName(string device, int index, int number) => $"{device}_{startRegister + index}";

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId) =>
        new RegisterState { Circuit = circuit, GlobalDeviceId = globalDeviceId, Value = registers[startRegister + index] };

    public override IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers) =>
        property == "value"
            ? [ModbusWrite.Register(startRegister + index, (ushort)WriteValue.Integer(property, value, 0, ushort.MaxValue))]
            : throw WriteValue.Unsupported(property, TypeName);
}

using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
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

    public override ModbusWrite EncodeValue(int index, double value, DeviceState current) =>
        value is >= 0 and <= ushort.MaxValue && value == Math.Floor(value)
            ? ModbusWrite.Register(startRegister + index, (ushort)value)
            : throw new DeviceWriteException("value", $"register value must be a whole number from 0 to 65535, got {value}");
}

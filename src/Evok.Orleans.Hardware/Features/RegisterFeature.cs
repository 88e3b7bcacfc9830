using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>
/// Raw registers, each a circuit named <c>&lt;device&gt;_&lt;address&gt;</c>; input registers (<c>reg_type: input</c>,
/// given their place in the image by <paramref name="inputOffset"/>) are named <c>&lt;device&gt;_&lt;address&gt;_inp</c>
/// as Evok names them, and are read-only.
/// </summary>
public sealed class RegisterFeature(int count, int line, int startRegister, int? inputOffset = null)
    : Feature(DeviceKind.Register, count, line)
{
    private readonly int _imageStart = startRegister + (inputOffset ?? 0);

    public override IEnumerable<int> RegistersOf(int index) => [_imageStart + index];

    public override string CircuitName(string device, int index, int number) =>
        inputOffset is null ? $"{device}_{startRegister + index}" : $"{device}_{startRegister + index}_inp";

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId) =>
        new RegisterState { Circuit = circuit, GlobalDeviceId = globalDeviceId, Value = registers[_imageStart + index] };

    public override IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers)
    {
        if (property != "value")
        {
            throw WriteValue.Unsupported(property, TypeName);
        }

        // Evok would send an input register's value to the holding register of the same number; we refuse instead.
        return inputOffset is null
            ? [ModbusWrite.Register(startRegister + index, (ushort)WriteValue.Integer(property, value, 0, ushort.MaxValue))]
            : throw new DeviceWriteException(property, "an input register is read-only");
    }
}

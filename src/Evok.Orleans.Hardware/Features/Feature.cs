using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>
/// A run of <see cref="Count"/> circuits of one kind in a board definition, and the codec between their registers
/// and their Evok state. Circuit <c>k</c> (0-based) uses the feature's addresses shifted by <c>k</c>.
/// </summary>
public abstract class Feature(DeviceKind kind, int count, int line)
{
    public DeviceKind Kind { get; } = kind;

    public int Count { get; } = count;

    /// <summary>The line of the feature in its definition file, for error messages.</summary>
    public int Line { get; } = line;

    /// <summary>Every register that circuit <paramref name="index"/> is decoded from.</summary>
    public abstract IEnumerable<int> RegistersOf(int index);

    public abstract DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId);

    /// <summary>Evok's circuit name: <c>&lt;device&gt;_&lt;NN&gt;</c> with NN the 1-based number among circuits of its type.</summary>
    public virtual string CircuitName(string device, int index, int number) => $"{device}_{number:00}";

    /// <summary>
    /// Encodes one property assignment of circuit <paramref name="index"/> into Modbus writes, throwing
    /// <see cref="DeviceWriteException"/> for a bad value or a property this circuit cannot set. The register image
    /// supplies the other bits of registers shared with other circuits.
    /// </summary>
    public virtual IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers) =>
        throw WriteValue.Unsupported(property, TypeName);

    protected string TypeName => DeviceTypeNames.KeyPrefix(Kind);

    /// <summary>A single-register write that changes one bit and keeps the others as last read.</summary>
    protected static ModbusWrite WithBit(RegisterImage registers, int register, int bit, bool on) =>
        ModbusWrite.Register(register, (ushort)(on ? registers[register] | (1 << bit) : registers[register] & ~(1 << bit)));

    protected static int Bit(RegisterImage registers, int register, int index) =>
        (registers[register + (index / 16)] >> (index % 16)) & 1;

    protected static int Bit(ushort value, int index) => (value >> index) & 1;

    /// <summary>Two registers, low word first, as a float32 (how Unipi boards store analog values).</summary>
    protected static float Float32(RegisterImage registers, int register) =>
        BitConverter.Int32BitsToSingle(registers[register] | (registers[register + 1] << 16));

    protected static (ushort Low, ushort High) Float32Words(float value)
    {
        var bits = BitConverter.SingleToInt32Bits(value);
        return ((ushort)(bits & 0xFFFF), (ushort)((bits >> 16) & 0xFFFF));
    }
}

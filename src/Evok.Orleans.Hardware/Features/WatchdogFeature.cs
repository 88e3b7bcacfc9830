using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>The board watchdog: flags in the value register, timeout in milliseconds, reset and save by coils.</summary>
public sealed class WatchdogFeature(int count, int line, int valueRegister, int timeoutRegister, int? resetCoil, int? saveCoil)
    : Feature(DeviceKind.Watchdog, count, line)
{
    public override IEnumerable<int> RegistersOf(int index) => [valueRegister + index, timeoutRegister + index];

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId)
    {
        var flags = registers[valueRegister + index];
        return new WatchdogState
        {
            Circuit = circuit,
            GlobalDeviceId = globalDeviceId,
            Value = flags & 3,
            Timeout = registers[timeoutRegister + index],
            WasWatchdogReset = Bit(flags, 1),
        };
    }

    public override IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers) => property switch
    {
        "value" => [WithBit(registers, valueRegister + index, 0, WriteValue.OnOff(property, value))],
        "timeout" => [ModbusWrite.Register(timeoutRegister + index, (ushort)WriteValue.Integer(property, value, 0, ushort.MaxValue))],
        "reset" => Pulse(property, value, resetCoil),
        "nv_save" => Pulse(property, value, saveCoil),
        _ => throw WriteValue.Unsupported(property, TypeName),
    };

    // Reset and save are commands: writing 1 triggers them, 0 does nothing.
    private static IReadOnlyList<ModbusWrite> Pulse(string property, string value, int? coil) =>
        coil is null ? throw new DeviceWriteException(property, $"this board has no {property} coil")
        : WriteValue.OnOff(property, value) ? [ModbusWrite.Coil(coil.Value, true)]
        : [];
}

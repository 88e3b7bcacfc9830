using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>RO (relay) or DO (transistor output, PWM-capable when it has PWM registers).</summary>
public sealed class RelayFeature(
    bool isDigital, int count, int line, ImmutableArray<string> modes, int valueRegister, int valueCoil, PwmControl? pwm)
    : Feature(isDigital ? DeviceKind.DigitalOutput : DeviceKind.RelayOutput, count, line)
{
    public ImmutableArray<string> Modes { get; } = modes;

    public int ValueRegister { get; } = valueRegister;

    public int ValueCoil { get; } = valueCoil;

    public PwmControl? Pwm { get; } = pwm;

    public override IEnumerable<int> RegistersOf(int index)
    {
        yield return ValueRegister + (index / 16);
        if (Pwm is { } pwm)
        {
            yield return pwm.DutyRegister + index;
            foreach (var register in pwm.SharedRegisters)
            {
                yield return register;
            }
        }
    }

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId)
    {
        double? frequency = null;
        double? duty = null;
        var mode = "Simple";
        if (Pwm is { } pwm)
        {
            (frequency, duty) = pwm.Decode(registers, index);
            mode = registers[pwm.DutyRegister + index] == 0 ? "Simple" : "PWM";
        }

        return new RelayState
        {
            Circuit = circuit,
            GlobalDeviceId = globalDeviceId,
            IsDigital = Kind == DeviceKind.DigitalOutput,
            Value = Bit(registers, ValueRegister, index),
            Mode = mode,
            Modes = Modes,
            PwmFrequency = frequency,
            PwmDuty = duty,
        };
    }

    public override IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers) => property switch
    {
        "value" => [ModbusWrite.Coil(ValueCoil + index, WriteValue.OnOff(property, value))],
        "pwm_duty" when Pwm is { } pwm => [pwm.EncodeDuty(index, WriteValue.Number(property, value, 0, 100), registers)],
        "pwm_freq" when Pwm is { } pwm => pwm.EncodeFrequency(property, value, Count, registers),
        _ => throw WriteValue.Unsupported(property, Kind == DeviceKind.DigitalOutput ? "do" : "ro"),
    };
}

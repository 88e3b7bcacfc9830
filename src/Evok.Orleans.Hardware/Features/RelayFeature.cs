using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Hardware.Features;

/// <summary>RO (relay) or DO (transistor output, PWM-capable when it has PWM registers).</summary>
public sealed class RelayFeature(
    bool isDigital, int count, int line, ImmutableArray<string> modes, int valueRegister, int valueCoil, PwmRegisters? pwm)
    : Feature(isDigital ? DeviceKind.DigitalOutput : DeviceKind.RelayOutput, count, line)
{
    private const double PwmClockHz = 48_000_000;

    public ImmutableArray<string> Modes { get; } = modes;

    public int ValueRegister { get; } = valueRegister;

    public int ValueCoil { get; } = valueCoil;

    public PwmRegisters? Pwm { get; } = pwm;

    public override IEnumerable<int> RegistersOf(int index)
    {
        yield return ValueRegister + (index / 16);
        if (Pwm is { } pwm)
        {
            yield return pwm.Duty + index;
            yield return pwm.Prescale;
            yield return pwm.Cycle;
        }
    }

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId)
    {
        double? frequency = null;
        double? duty = null;
        var mode = "Simple";
        if (Pwm is { } pwm)
        {
            var cycle = registers[pwm.Cycle] + 1;
            var prescale = registers[pwm.Prescale] + 1;
            var rawDuty = registers[pwm.Duty + index];
            frequency = PwmClockHz / (cycle * prescale);
            duty = rawDuty == 0 ? 0 : Math.Round(rawDuty / (double)cycle * 100, 1);
            mode = rawDuty == 0 ? "Simple" : "PWM";
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

    public override ModbusWrite EncodeValue(int index, double value, DeviceState current) =>
        ModbusWrite.Coil(ValueCoil + index, OnOff(value) == 1);
}

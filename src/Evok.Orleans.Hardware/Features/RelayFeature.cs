using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Writes;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Hardware.Features;

/// <summary>RO (relay) or DO (transistor output, PWM-capable when it has PWM registers).</summary>
public sealed class RelayFeature(
    bool isDigital, int count, int line, ImmutableArray<string> modes, int valueRegister, int valueCoil, PwmRegisters? pwm)
    : Feature(isDigital ? DeviceKind.DigitalOutput : DeviceKind.RelayOutput, count, line)
{
    private const double PwmClockHz = 48_000_000;
    private const double MinPwmHz = 0.1;
    private const double MaxPwmHz = 48_000;

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
            duty = rawDuty == 0 ? 0 : PythonRound.Round(rawDuty / (double)cycle * 100, 1);
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

    public override IReadOnlyList<ModbusWrite> Encode(int index, string property, string value, RegisterImage registers)
    {
        switch (property)
        {
            case "value":
                return [ModbusWrite.Coil(ValueCoil + index, WriteValue.OnOff(property, value))];
            case "pwm_duty" when Pwm is { } pwm:
                var percent = WriteValue.Number(property, value, 0, 100);
                var cycle = registers[pwm.Cycle] + 1;
                return [ModbusWrite.Register(pwm.Duty + index, (ushort)Math.Round(percent / 100 * cycle))];
            case "pwm_freq" when Pwm is { } pwm:
                return EncodeFrequency(pwm, WriteValue.Number(property, value, MinPwmHz, MaxPwmHz), registers);
            default:
                throw WriteValue.Unsupported(property, Kind == DeviceKind.DigitalOutput ? "do" : "ro");
        }
    }

    /// <summary>
    /// Evok's choice: 10 000 steps per period (cycle 9999) and the prescaler that gives the frequency; above 4800 Hz
    /// the prescaler is 1 and the cycle shrinks. The frequency is the board's, so every output's duty is rescaled to
    /// keep its percentage.
    /// </summary>
    private IReadOnlyList<ModbusWrite> EncodeFrequency(PwmRegisters pwm, double hertz, RegisterImage registers)
    {
        var prescale = Math.Clamp((int)Math.Round(PwmClockHz / (hertz * 10_000)), 1, 65_536);
        var cycle = Math.Clamp((int)Math.Round(PwmClockHz / (hertz * prescale)), 2, 65_536);
        var oldCycle = registers[pwm.Cycle] + 1;
        var writes = new List<ModbusWrite>
        {
            ModbusWrite.Register(pwm.Prescale, (ushort)(prescale - 1)),
            ModbusWrite.Register(pwm.Cycle, (ushort)(cycle - 1)),
        };
        for (var output = 0; output < Count; output++)
        {
            var duty = registers[pwm.Duty + output];
            if (duty != 0)
            {
                writes.Add(ModbusWrite.Register(pwm.Duty + output, (ushort)Math.Min(cycle, Math.Round(duty / (double)oldCycle * cycle))));
            }
        }

        return writes;
    }
}

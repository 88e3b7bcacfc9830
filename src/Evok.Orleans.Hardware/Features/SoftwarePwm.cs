using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>
/// The PWM of Unipi's newer boards, done by their firmware (<c>pwm_preset_reg</c>, <c>pwm_cpres_reg</c>): a preset
/// register picks 1000 Hz (0), 100 Hz (1) or a custom frequency (2) of 1000 / (1 + <c>pwm_cpres_reg</c>) Hz, and
/// the duty register holds whole percent. Evok's modbus_slave.py, which this follows: a frequency of exactly 1000 or
/// 100 Hz selects its preset, any other is rounded to the nearest custom prescaler; duty is rounded to a whole percent.
/// </summary>
public sealed class SoftwarePwm(int dutyRegister, int presetRegister, int customPrescalerRegister) : PwmControl(dutyRegister)
{
    private const ushort CustomPreset = 2;

    /// <summary>The fastest custom frequency (prescaler 0: 1000 Hz; Evok rounds anything up to 2000 Hz to it).</summary>
    private const double MaxHz = 2000;

    /// <summary>The slowest: prescaler 65 535 (about 0.0153 Hz).</summary>
    private const double MinHz = 1000.0 / 65_536;

    private static readonly double[] PresetHz = [1000, 100];

    public int PresetRegister { get; } = presetRegister;

    public int CustomPrescalerRegister { get; } = customPrescalerRegister;

    public override IEnumerable<int> SharedRegisters => [PresetRegister, CustomPrescalerRegister];

    public override (double Frequency, double Duty) Decode(RegisterImage registers, int index)
    {
        var preset = registers[PresetRegister];
        var frequency = preset < PresetHz.Length
            ? PresetHz[preset]
            : PythonRound.Round(1000.0 / (1 + registers[CustomPrescalerRegister]), 1);
        return (frequency, registers[DutyRegister + index]);
    }

    public override ModbusWrite EncodeDuty(int index, double percent, RegisterImage registers) =>
        ModbusWrite.Register(DutyRegister + index, (ushort)Math.Round(percent));

    public override IReadOnlyList<ModbusWrite> EncodeFrequency(string property, string value, int count, RegisterImage registers)
    {
        var hertz = WriteValue.Number(property, value, MinHz, MaxHz);
        var preset = Array.IndexOf(PresetHz, hertz);
        if (preset >= 0)
        {
            return [ModbusWrite.Register(PresetRegister, (ushort)preset)];
        }

        // Math.Round rounds half to even, as Python's round does. The prescaler goes first (Evok writes the preset
        // first), so that the outputs never run for a moment at a custom frequency left from before.
        var prescaler = (ushort)Math.Max(0, Math.Round((1000 / hertz) - 1));
        return [ModbusWrite.Register(CustomPrescalerRegister, prescaler), ModbusWrite.Register(PresetRegister, CustomPreset)];
    }
}

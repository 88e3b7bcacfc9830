using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>
/// How a DO feature's outputs do PWM: a per-output duty register (<c>pwm_reg</c> + index) and the board's frequency
/// registers, shared by every output. Unipi's boards come in two kinds, told apart by the definition's keys:
/// <see cref="HardwarePwm"/> (<c>pwm_ps_reg</c>, <c>pwm_c_reg</c>) and <see cref="SoftwarePwm"/>
/// (<c>pwm_preset_reg</c>, <c>pwm_cpres_reg</c>).
/// </summary>
public abstract class PwmControl(int dutyRegister)
{
    /// <summary>The first output's duty register (<c>pwm_reg</c>).</summary>
    public int DutyRegister { get; } = dutyRegister;

    /// <summary>The frequency registers every output of the board shares.</summary>
    public abstract IEnumerable<int> SharedRegisters { get; }

    /// <summary>Evok's <c>pwm_freq</c> (Hz) and <c>pwm_duty</c> (percent, 0 when PWM is off) of one output.</summary>
    public abstract (double Frequency, double Duty) Decode(RegisterImage registers, int index);

    /// <summary>The write that sets one output's duty, in percent (0–100, already checked).</summary>
    public abstract ModbusWrite EncodeDuty(int index, double percent, RegisterImage registers);

    /// <summary>The writes that set the board's frequency, for all <paramref name="count"/> outputs.</summary>
    public abstract IReadOnlyList<ModbusWrite> EncodeFrequency(string property, string value, int count, RegisterImage registers);
}

using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>
/// A brain board's timer PWM (<c>pwm_ps_reg</c>, <c>pwm_c_reg</c>): a 48 MHz clock divided by a prescaler and a
/// cycle length, both stored minus one; the duty register counts clock steps of the cycle.
/// </summary>
public sealed class HardwarePwm(int dutyRegister, int prescaleRegister, int cycleRegister) : PwmControl(dutyRegister)
{
    private const double ClockHz = 48_000_000;
    private const double MinHz = 0.1;
    private const double MaxHz = 48_000;

    public int PrescaleRegister { get; } = prescaleRegister;

    public int CycleRegister { get; } = cycleRegister;

    public override IEnumerable<int> SharedRegisters => [PrescaleRegister, CycleRegister];

    public override (double Frequency, double Duty) Decode(RegisterImage registers, int index)
    {
        var cycle = registers[CycleRegister] + 1;
        var prescale = registers[PrescaleRegister] + 1;
        var rawDuty = registers[DutyRegister + index];
        return (ClockHz / (cycle * prescale), rawDuty == 0 ? 0 : PythonRound.Round(rawDuty / (double)cycle * 100, 1));
    }

    public override ModbusWrite EncodeDuty(int index, double percent, RegisterImage registers) =>
        ModbusWrite.Register(DutyRegister + index, (ushort)Math.Round(percent / 100 * (registers[CycleRegister] + 1)));

    /// <summary>
    /// Evok's choice: 10 000 steps per period (cycle 9999) and the prescaler that gives the frequency; above 4800 Hz
    /// the prescaler is 1 and the cycle shrinks. Every output's duty is rescaled to keep its percentage.
    /// </summary>
    public override IReadOnlyList<ModbusWrite> EncodeFrequency(string property, string value, int count, RegisterImage registers)
    {
        var hertz = WriteValue.Number(property, value, MinHz, MaxHz);
        var prescale = Math.Clamp((int)Math.Round(ClockHz / (hertz * 10_000)), 1, 65_536);
        var cycle = Math.Clamp((int)Math.Round(ClockHz / (hertz * prescale)), 2, 65_536);
        var oldCycle = registers[CycleRegister] + 1;
        var writes = new List<ModbusWrite>
        {
            ModbusWrite.Register(PrescaleRegister, (ushort)(prescale - 1)),
            ModbusWrite.Register(CycleRegister, (ushort)(cycle - 1)),
        };
        for (var output = 0; output < count; output++)
        {
            var duty = registers[DutyRegister + output];
            if (duty != 0)
            {
                writes.Add(ModbusWrite.Register(DutyRegister + output, (ushort)Math.Min(cycle, Math.Round(duty / (double)oldCycle * cycle))));
            }
        }

        return writes;
    }
}

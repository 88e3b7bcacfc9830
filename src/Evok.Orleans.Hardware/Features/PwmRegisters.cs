namespace Evok.Orleans.Hardware.Features;

/// <summary>A DO feature's PWM registers: per-output duty, and prescale and cycle shared by all outputs of the board.</summary>
public sealed record PwmRegisters(int Duty, int Prescale, int Cycle);

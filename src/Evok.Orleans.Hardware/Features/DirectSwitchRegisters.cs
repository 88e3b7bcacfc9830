namespace Evok.Orleans.Hardware.Features;

/// <summary>Bit-per-input registers of the DirectSwitch function: enable, inverted polarity, toggle.</summary>
public sealed record DirectSwitchRegisters(int Enable, int Polarity, int Toggle);

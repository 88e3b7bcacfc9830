using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>Picks the active mode of an analog circuit from its mode register.</summary>
internal static class AnalogModeSelection
{
    /// <summary>
    /// With no mode register the first mode applies; otherwise the mode whose value equals the register, and the first
    /// mode again when the register holds a value no mode names (a board fresh from the factory may).
    /// </summary>
    public static AnalogMode Select(ImmutableArray<AnalogMode> modes, int? registerValue)
    {
        if (registerValue is { } value)
        {
            foreach (var mode in modes)
            {
                if (mode.RegisterValue == value)
                {
                    return mode;
                }
            }
        }

        return modes[0];
    }

    public static void EnsureInRange(AnalogMode mode, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new DeviceWriteException("value", $"value must be a finite number, got {value}");
        }

        if (mode.Range is { } range && (value < range.Min || value > range.Max))
        {
            throw new DeviceWriteException(
                "value", $"value {value} is outside the {mode.Name} range [{range.Min}, {range.Max}] {mode.Unit}");
        }
    }
}

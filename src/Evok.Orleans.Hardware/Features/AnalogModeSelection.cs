using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.Features;

/// <summary>Picks the active mode of an analog circuit from its mode register, and checks values against it.</summary>
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

    public static AnalogMode Find(ImmutableArray<AnalogMode> modes, string name)
    {
        var chosen = WriteValue.Choice("mode", name, modes.Select(mode => mode.Name));
        return modes.First(mode => mode.Name == chosen);
    }

    /// <summary>Parses a value and checks it against the range of the active mode.</summary>
    public static double ParseInRange(AnalogMode mode, string text) => mode.Range is { } range
        ? WriteValue.Number("value", text, range.Min, range.Max)
        : WriteValue.Number("value", text, double.MinValue, double.MaxValue);
}

using System.Globalization;
using Evok.Orleans.Abstractions.Writes;

namespace Evok.Orleans.Hardware.Writes;

/// <summary>Parses the text of an assignment (a form field or a JSON value) into what a property needs.</summary>
public static class WriteValue
{
    public static bool OnOff(string property, string text) => text.Trim().ToLowerInvariant() switch
    {
        "1" or "true" or "on" => true,
        "0" or "false" or "off" => false,
        _ => throw new DeviceWriteException(property, $"{property} must be 0 or 1, got '{Quote(text)}'"),
    };

    public static long Integer(string property, string text, long min, long max)
    {
        if (long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        // JSON clients send 5.0 for 5: a number with no fraction is still a whole number.
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) &&
            number == Math.Floor(number) && number >= min && number <= max)
        {
            return (long)number;
        }

        throw new DeviceWriteException(property, $"{property} must be a whole number from {min} to {max}, got '{Quote(text)}'");
    }

    public static double Number(string property, string text, double min, double max)
    {
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) &&
            double.IsFinite(value) && value >= min && value <= max)
        {
            return value;
        }

        throw new DeviceWriteException(
            property,
            string.Create(CultureInfo.InvariantCulture, $"{property} must be a number from {min} to {max}, got '{Quote(text)}'"));
    }

    public static string Choice(string property, string text, IEnumerable<string> choices)
    {
        var list = choices.ToList();
        return list.FirstOrDefault(choice => string.Equals(choice, text.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new DeviceWriteException(property, $"{property} must be one of {string.Join(", ", list)}, got '{Quote(text)}'");
    }

    /// <summary>A value as an error quotes it: at most 40 characters of it.</summary>
    public static string Quote(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    public static DeviceWriteException Unsupported(string property, string type) =>
        new(property, $"{type} has no settable property '{property}'");
}

using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.Hardware.OneWire;

/// <summary>
/// What Evok does with each 1-Wire chip owserver reports (its <c>type</c> property): which properties one poll
/// reads, how their text becomes the device's state, and which outputs it can switch. Chips not listed here are
/// ignored, as in Evok. A DS2404 (a clock and memory chip: nothing for Evok to report) is served only when config.yaml
/// lists it under its bus's <c>devices:</c>: a <c>1wdevice</c> with <c>value</c> null, whose reads of its type tell
/// whether it is there.
/// </summary>
public sealed class OneWireChip
{
    private static readonly FrozenDictionary<string, OneWireChip> ByType = new OneWireChip[]
    {
        new("DS18B20", OneWireChipKind.Thermometer, ["temperature"], []),
        new("DS18S20", OneWireChipKind.Thermometer, ["temperature"], []),
        new("DS2438", OneWireChipKind.MultiSensor, ["temperature", "HIH4000/humidity", "VDD", "VAD", "vis"], []),
        new("DS2408", OneWireChipKind.Switch, ["sensed.ALL"], ["0", "1", "2", "3", "4", "5", "6", "7"]),
        new("DS2406", OneWireChipKind.Switch, ["sensed.ALL"], ["A", "B"]),
        new("DS2413", OneWireChipKind.Switch, ["sensed.ALL"], ["A", "B"]),
        new("DS2404", OneWireChipKind.Switch, ["type"], []) { FoundBySearch = false },
    }.ToFrozenDictionary(chip => chip.Type, StringComparer.Ordinal);

    private OneWireChip(string type, OneWireChipKind kind, ImmutableArray<string> properties, ImmutableArray<string> outputs)
    {
        Type = type;
        Kind = kind;
        Properties = properties;
        Outputs = outputs;
    }

    /// <summary>Every type config.yaml may list, as Evok's docs name them.</summary>
    public static IEnumerable<string> Types => ByType.Keys.Order(StringComparer.Ordinal);

    /// <summary>Whether a search serves the chip when it finds one; otherwise only when config.yaml lists it.</summary>
    public bool FoundBySearch { get; private init; } = true;

    /// <summary>owserver's name of the chip, e.g. <c>DS18B20</c>.</summary>
    public string Type { get; }

    public OneWireChipKind Kind { get; }

    /// <summary>The properties one poll reads, relative to the device (e.g. <c>temperature</c>).</summary>
    public ImmutableArray<string> Properties { get; }

    /// <summary>The switch channels (owfs' <c>PIO.&lt;channel&gt;</c>); empty for sensors.</summary>
    public ImmutableArray<string> Outputs { get; }

    public static OneWireChip? Find(string type) => ByType.GetValueOrDefault(type.Trim());

    /// <summary>
    /// An address as owfs writes it (<c>28.000028D70000.11</c>: family, serial, CRC) from one written with or without
    /// the dots, in either case; null for anything else.
    /// </summary>
    public static string? NormalAddress(string written)
    {
        var digits = written.Trim().Replace(".", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        return digits.Length == 16 && digits.All(char.IsAsciiHexDigit) ? $"{digits[..2]}.{digits[2..14]}.{digits[14..]}" : null;
    }

    /// <summary>Evok's circuit of a device: the address without dots, but switches keep them.</summary>
    public string CircuitOf(string address) => Kind == OneWireChipKind.Switch ? address : address.Replace(".", string.Empty, StringComparison.Ordinal);

    /// <summary>The state of a device never read yet.</summary>
    public OneWireSensorState Initial(string address, double interval) => Kind switch
    {
        OneWireChipKind.Thermometer => new ThermometerState { Circuit = CircuitOf(address), GlobalDeviceId = 0, Address = address, SensorType = Type, Interval = interval },
        OneWireChipKind.MultiSensor => new MultiSensorState { Circuit = CircuitOf(address), GlobalDeviceId = 0, Address = address, SensorType = Type, Interval = interval },
        _ => new OneWireSwitchState { Circuit = CircuitOf(address), GlobalDeviceId = 0, Address = address, SensorType = Type, Interval = interval },
    };

    /// <summary>
    /// The state after a good read of <see cref="Properties"/>, in that order. A thermometer keeps Evok's 1/20 °C
    /// steps and ignores 85 °C (the power-on value of a DS18B20 that lost power) when it is over 2 °C from the last
    /// value; a value owserver sends that is not a number counts as missing.
    /// </summary>
    public OneWireSensorState Decode(OneWireSensorState previous, IReadOnlyList<string> values, double time) => previous switch
    {
        ThermometerState thermometer => thermometer with
        {
            Value = Number(values[0]) is { } celsius && !IsPowerOnReset(celsius, thermometer.Value) ? PythonRound.Round(celsius * 2, 1) / 2 : thermometer.Value,
            Lost = false,
            Time = time,
        },
        MultiSensorState multi => multi with
        {
            Temperature = Number(values[0]),
            Humidity = Number(values[1]),
            Vdd = Number(values[2]),
            Vad = Number(values[3]),
            Vis = Number(values[4]),
            Lost = false,
            Time = time,
        },
        OneWireSwitchState switches => switches with { Levels = Outputs.IsEmpty ? [] : Levels(values[0]), Lost = false, Time = time },
        _ => throw new ArgumentException($"not a {Type} state", nameof(previous)),
    };

    /// <summary>
    /// The owfs property and value that switch one output: <c>pio</c> names the channel (0–7, or A/B), <c>value</c>
    /// 1 makes it conduct. Throws <see cref="DeviceWriteException"/> for anything else.
    /// </summary>
    public (string Property, string Value) EncodeOutput(string channel, string value)
    {
        if (Outputs.IsEmpty)
        {
            throw new DeviceWriteException("pio", $"a {Type} has no outputs");
        }

        var name = channel.Trim().ToUpperInvariant();
        if (Outputs[0] == "A" && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < Outputs.Length)
        {
            name = Outputs[index];
        }

        if (!Outputs.Contains(name))
        {
            throw new DeviceWriteException("pio", $"pio must be one of {string.Join(", ", Outputs)} on a {Type}, got '{channel}'");
        }

        return ($"PIO.{name}", WriteValue.OnOff("value", value) ? "1" : "0");
    }

    private static bool IsPowerOnReset(double celsius, double? last) => celsius == 85.0 && last is { } previous && Math.Abs(celsius - previous) > 2;

    private static double? Number(string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static ImmutableArray<int> Levels(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(level => level == "1" ? 1 : 0)];
}

using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>A digital input with its debounce, pulse counter and DirectSwitch settings.</summary>
[GenerateSerializer, Immutable, Alias("evok.DigitalInputState")]
public sealed record DigitalInputState : DeviceState
{
    public static readonly ImmutableArray<string> CounterModes = ["Enabled", "Disabled"];

    [Id(0)]
    public required int Value { get; init; }

    [Id(1)]
    public required int Debounce { get; init; }

    [Id(2)]
    public string CounterMode { get; init; } = "Enabled";

    [Id(3)]
    public required long Counter { get; init; }

    [Id(4)]
    public required string Mode { get; init; }

    [Id(5)]
    public required ImmutableArray<string> Modes { get; init; }

    /// <summary>Simple, Inverted or Toggle; reported only in DirectSwitch mode.</summary>
    [Id(6)]
    public string? DirectSwitchMode { get; init; }

    [Id(7)]
    public ImmutableArray<string> DirectSwitchModes { get; init; } = [];

    public override DeviceKind Kind => DeviceKind.DigitalInput;

    public bool Equals(DigitalInputState? other) =>
        other is not null && base.Equals(other) && Value == other.Value && Debounce == other.Debounce &&
        CounterMode == other.CounterMode && Counter == other.Counter && Mode == other.Mode &&
        Modes.SequenceEqual(other.Modes) && DirectSwitchMode == other.DirectSwitchMode &&
        DirectSwitchModes.SequenceEqual(other.DirectSwitchModes);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Value, Counter, Mode);

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String(writer.Style == EvokJsonStyle.Evok2 ? "input" : "di");
        writer.Name("circuit").String(Circuit);
        writer.Name("value").Integer(Value);
        writer.Name("debounce").Integer(Debounce);
        writer.Name("counter_modes").StringArray(CounterModes);
        writer.Name("counter_mode").String(CounterMode);
        writer.Name("counter").Integer(CounterMode == "Enabled" ? Counter : 0);
        writer.Name("mode").String(Mode);
        writer.Name("modes").StringArray(Modes);
        WriteGlobalDeviceId(writer);
        if (DirectSwitchMode is not null)
        {
            writer.Name("ds_mode").String(DirectSwitchMode);
            writer.Name("ds_modes").StringArray(DirectSwitchModes);
        }
    }
}

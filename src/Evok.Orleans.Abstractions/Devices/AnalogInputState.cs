using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>An analog input; its unit and range follow the mode selected in the mode register.</summary>
[GenerateSerializer, Immutable, Alias("evok.AnalogInputState")]
public sealed record AnalogInputState : DeviceState
{
    [Id(0)]
    public required double Value { get; init; }

    [Id(1)]
    public required string Unit { get; init; }

    [Id(2)]
    public required string Mode { get; init; }

    [Id(3)]
    public required ImmutableArray<AnalogMode> Modes { get; init; }

    [Id(4)]
    public ModeRange? Range { get; init; }

    public override DeviceKind Kind => DeviceKind.AnalogInput;

    public bool Equals(AnalogInputState? other) =>
        other is not null && base.Equals(other) && Value.Equals(other.Value) && Unit == other.Unit &&
        Mode == other.Mode && Modes.SequenceEqual(other.Modes) && Range == other.Range;

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Value, Mode);

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String("ai");
        writer.Name("circuit").String(Circuit);
        writer.Name("value").Float(Value);
        writer.Name("unit").String(Unit);
        WriteGlobalDeviceId(writer);
        writer.Name("mode").String(Mode);
        writer.Name("modes");
        AnalogMode.WriteModes(writer, Modes);
        if (Range is not null)
        {
            writer.Name("range");
            Range.WriteJson(writer);
        }
    }
}

using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>An analog output: an extension board's 0-10 V output or the brain board's multi-mode output (BAO).</summary>
[GenerateSerializer, Immutable, Alias("evok.AnalogOutputState")]
public sealed record AnalogOutputState : DeviceState
{
    /// <summary>True for the brain board's output (float registers, Voltage/Current/Resistance).</summary>
    [Id(0)]
    public required bool IsBrainOutput { get; init; }

    [Id(1)]
    public required string Mode { get; init; }

    [Id(2)]
    public required ImmutableArray<AnalogMode> Modes { get; init; }

    [Id(3)]
    public required double Value { get; init; }

    [Id(4)]
    public required string Unit { get; init; }

    [Id(5)]
    public ModeRange? Range { get; init; }

    public override DeviceKind Kind => DeviceKind.AnalogOutput;

    public bool Equals(AnalogOutputState? other) =>
        other is not null && base.Equals(other) && IsBrainOutput == other.IsBrainOutput && Mode == other.Mode &&
        Modes.SequenceEqual(other.Modes) && Value.Equals(other.Value) && Unit == other.Unit && Range == other.Range;

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Mode, Value);

    // The brain output and the extension output have different key orders in Evok; both are kept.
    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String("ao");
        writer.Name("circuit").String(Circuit);
        writer.Name("mode").String(Mode);
        writer.Name("modes");
        AnalogMode.WriteModes(writer, Modes);
        WriteGlobalDeviceId(writer);
        if (IsBrainOutput)
        {
            writer.Name("unit").String(Unit);
            writer.Name("value").Float(Value);
            return;
        }

        writer.Name("value").Float(Value);
        writer.Name("unit").String(Unit);
        if (Range is not null)
        {
            writer.Name("range");
            Range.WriteJson(writer);
        }
    }
}

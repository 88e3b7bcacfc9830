using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>
/// An 18-bit analog input of an integration card (Evok's <c>AI18</c>): the raw count, as Evok reports it in its
/// default range <c>Integer 18bit</c>, and the mode (Voltage/Current) its mode register selects.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.AnalogInput18State")]
public sealed record AnalogInput18State : DeviceState
{
    /// <summary>Evok's two ranges: the raw count, or the count scaled to volts/milliamperes.</summary>
    public static readonly ImmutableArray<string> RangeModes = ["Integer 18bit", "Float"];

    [Id(0)]
    public required long Value { get; init; }

    [Id(1)]
    public required string Mode { get; init; }

    [Id(2)]
    public required ImmutableArray<string> Modes { get; init; }

    public override DeviceKind Kind => DeviceKind.AnalogInput;

    public bool Equals(AnalogInput18State? other) =>
        other is not null && base.Equals(other) && Value == other.Value && Mode == other.Mode && Modes.SequenceEqual(other.Modes);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Value, Mode);

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String("ai");
        writer.Name("circuit").String(Circuit);
        writer.Name("value").Integer(Value);
        writer.Name("unit").String(string.Empty);
        WriteGlobalDeviceId(writer);
        writer.Name("mode").String(Mode);
        writer.Name("modes").StringArray(Modes);
        writer.Name("range").String(RangeModes[0]);
        writer.Name("range_modes").StringArray(RangeModes);
    }
}

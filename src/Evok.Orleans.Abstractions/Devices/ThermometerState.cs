using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>A DS18B20 or DS18S20 thermometer: <c>value</c> in °C, in Evok's 0.05 steps; null until first read.</summary>
[GenerateSerializer, Immutable, Alias("evok.ThermometerState")]
public sealed record ThermometerState : OneWireSensorState
{
    [Id(0)]
    public double? Value { get; init; }

    public override DeviceKind Kind => DeviceKind.Temperature;

    public bool Equals(ThermometerState? other) => base.Equals(other) && Nullable.Equals(Value, other.Value);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Value);

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String("temp");
        writer.Name("circuit").String(Circuit);
        writer.Name("address").String(Address);
        writer.Name("value").Float(Value);
        WriteStatus(writer);
    }
}

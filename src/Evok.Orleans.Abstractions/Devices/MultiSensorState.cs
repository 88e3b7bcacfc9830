using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>
/// A DS2438 battery monitor as Unipi's 1-Wire multi-sensors use it: temperature (°C), humidity (%, through an
/// HIH-4000), supply voltage <c>vdd</c>, A/D input voltage <c>vad</c> and current-sense voltage <c>vis</c>. Evok's
/// JSON for it has no <c>address</c>; a value never read is null.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.MultiSensorState")]
public sealed record MultiSensorState : OneWireSensorState
{
    [Id(0)]
    public double? Humidity { get; init; }

    [Id(1)]
    public double? Vdd { get; init; }

    [Id(2)]
    public double? Vad { get; init; }

    [Id(3)]
    public double? Temperature { get; init; }

    [Id(4)]
    public double? Vis { get; init; }

    public override DeviceKind Kind => DeviceKind.OneWireDevice;

    public bool Equals(MultiSensorState? other) =>
        base.Equals(other) && Nullable.Equals(Humidity, other.Humidity) && Nullable.Equals(Vdd, other.Vdd) &&
        Nullable.Equals(Vad, other.Vad) && Nullable.Equals(Temperature, other.Temperature) && Nullable.Equals(Vis, other.Vis);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Humidity, Temperature);

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String("1wdevice");
        writer.Name("circuit").String(Circuit);
        writer.Name("humidity").Float(Humidity);
        writer.Name("vdd").Float(Vdd);
        writer.Name("vad").Float(Vad);
        writer.Name("temp").Float(Temperature);
        writer.Name("vis").Float(Vis);
        WriteStatus(writer);
    }
}

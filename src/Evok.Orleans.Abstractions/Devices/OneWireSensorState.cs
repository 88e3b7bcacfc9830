using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>
/// A device found on a 1-Wire bus. Evok's keys common to its sensors: the ROM address, whether it stopped answering
/// (<c>lost</c>), when it was last read (<c>time</c>, seconds of the controller's monotonic clock, as Evok) and how
/// often it is read (<c>interval</c>, seconds). <see cref="Time"/> moves on every read and is left out of equality:
/// a read that found the same values is no change.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.OneWireSensorState")]
public abstract record OneWireSensorState : DeviceState
{
    /// <summary>The ROM id as owserver names it, e.g. <c>28.000028D70000.11</c>.</summary>
    [Id(0)]
    public required string Address { get; init; }

    /// <summary>The chip, e.g. <c>DS18B20</c> (Evok's <c>type</c>; <c>typ</c> in Evok 2's naming).</summary>
    [Id(1)]
    public required string SensorType { get; init; }

    [Id(2)]
    public bool Lost { get; init; }

    [Id(3)]
    public double Time { get; init; }

    [Id(4)]
    public required double Interval { get; init; }

    public virtual bool Equals(OneWireSensorState? other) =>
        other is not null && base.Equals(other) && Address == other.Address && SensorType == other.SensorType &&
        Lost == other.Lost && Interval.Equals(other.Interval);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Address, Lost);

    protected void WriteStatus(EvokJsonWriter writer)
    {
        writer.Name("lost").Bool(Lost);
        writer.Name("time").Float(Math.Round(Time, 2));
        writer.Name("interval").Number(Interval);
        writer.Name(writer.Style == EvokJsonStyle.Evok2 ? "typ" : "type").String(SensorType);
    }
}

using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>
/// A 1-Wire switch (DS2408: 8 channels, DS2406/DS2413: A and B). <c>value</c> is the level sensed on each channel
/// (owfs' <c>sensed.ALL</c>), which Evok meant to report but sent as null; its circuit keeps the address's dots, as
/// in Evok. Outputs are set with <c>pio</c> (channel number, or A/B) and <c>value</c> (1 = conducting).
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.OneWireSwitchState")]
public sealed record OneWireSwitchState : OneWireSensorState
{
    /// <summary>The sensed level of each channel; empty until first read.</summary>
    [Id(0)]
    public ImmutableArray<int> Levels { get; init; } = [];

    public override DeviceKind Kind => DeviceKind.OneWireDevice;

    public bool Equals(OneWireSwitchState? other) => base.Equals(other) && Levels.SequenceEqual(other.Levels);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Levels.Length);

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String("1wdevice");
        writer.Name("circuit").String(Circuit);
        writer.Name("address").String(Address);
        writer.Name("value");
        if (Levels.IsDefaultOrEmpty)
        {
            writer.Null();
        }
        else
        {
            writer.BeginArray();
            foreach (var level in Levels)
            {
                writer.Integer(level);
            }

            writer.EndArray();
        }

        WriteStatus(writer);
    }
}

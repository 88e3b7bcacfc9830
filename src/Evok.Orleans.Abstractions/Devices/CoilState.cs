using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>
/// A board's command coil, circuit = the device's name: <c>owpower</c> (powers the 1-Wire bus) or <c>nv_save</c>
/// (stores the board's settings in its flash). The board cannot report it, so <c>value</c> is the value last
/// written (0 until then), as in Evok.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.CoilState")]
public sealed record CoilState : DeviceState
{
    [Id(0)]
    public required DeviceKind CoilKind { get; init; }

    [Id(1)]
    public required int Value { get; init; }

    public override DeviceKind Kind => CoilKind;

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String(DeviceTypeNames.KeyPrefix(CoilKind));
        writer.Name("circuit").String(Circuit);
        writer.Name("value").Integer(Value);
        WriteGlobalDeviceId(writer);
    }
}

using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>
/// The coil that powers a board's 1-Wire bus (circuit = the device's name). The board cannot report it, so
/// <c>value</c> is the value last written (0 until then), as in Evok.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.OwPowerState")]
public sealed record OwPowerState : DeviceState
{
    [Id(0)]
    public required int Value { get; init; }

    public override DeviceKind Kind => DeviceKind.OwPower;

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String("owpower");
        writer.Name("circuit").String(Circuit);
        writer.Name("value").Integer(Value);
        WriteGlobalDeviceId(writer);
    }
}

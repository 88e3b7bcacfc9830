using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>A user LED on the controller's front panel.</summary>
[GenerateSerializer, Immutable, Alias("evok.LedState")]
public sealed record LedState : DeviceState
{
    [Id(0)]
    public required int Value { get; init; }

    public override DeviceKind Kind => DeviceKind.Led;

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String("led");
        writer.Name("circuit").String(Circuit);
        writer.Name("value").Integer(Value);
        WriteGlobalDeviceId(writer);
    }
}

using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>A raw 16-bit Modbus register, circuit <c>&lt;device&gt;_&lt;address&gt;</c>.</summary>
[GenerateSerializer, Immutable, Alias("evok.RegisterState")]
public sealed record RegisterState : DeviceState
{
    [Id(0)]
    public required int Value { get; init; }

    public override DeviceKind Kind => DeviceKind.Register;

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String("register");
        writer.Name("circuit").String(Circuit);
        writer.Name("value").Integer(Value);
        WriteGlobalDeviceId(writer);
    }
}

using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>
/// A value read from a module's registers (Evok's <c>data_point</c>; <c>unit_register</c> in Evok 2): circuit
/// <c>&lt;device&gt;_&lt;register&gt;</c>, with its definition's <c>name</c> and <c>unit</c>. <c>valid</c> comes from the
/// definition's valid-mask register; Evok 2 wrote it always, as the string "true" or "false".
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.DataPointState")]
public sealed record DataPointState : DeviceState
{
    /// <summary>The value; null when the definition names a data type Evok cannot decode.</summary>
    [Id(0)]
    public double? Value { get; init; }

    /// <summary>Whether <see cref="Value"/> is a whole register value (written as an integer, as Evok does).</summary>
    [Id(1)]
    public bool IsInteger { get; init; }

    [Id(2)]
    public string? Name { get; init; }

    [Id(3)]
    public string? Unit { get; init; }

    /// <summary>Null when the definition has no valid-mask register.</summary>
    [Id(4)]
    public bool? Valid { get; init; }

    public override DeviceKind Kind => DeviceKind.DataPoint;

    protected override void WriteFields(EvokJsonWriter writer)
    {
        var evok2 = writer.Style == EvokJsonStyle.Evok2;
        writer.Name("dev").String(evok2 ? "unit_register" : "data_point");
        writer.Name("circuit").String(Circuit);
        writer.Name("value");
        if (Value is not { } value)
        {
            writer.Null();
        }
        else if (double.IsNaN(value))
        {
            writer.String("NaN");
        }
        else if (IsInteger)
        {
            writer.Integer((long)value);
        }
        else
        {
            writer.Float(value);
        }

        if (Name is not null)
        {
            writer.Name("name").String(Name);
        }

        if (evok2)
        {
            writer.Name("valid").String(Valid == false ? "false" : "true");
        }
        else if (Valid is { } valid)
        {
            writer.Name("valid").Bool(valid);
        }

        if (Unit is not null)
        {
            writer.Name("unit").String(Unit);
        }

        WriteGlobalDeviceId(writer);
    }
}

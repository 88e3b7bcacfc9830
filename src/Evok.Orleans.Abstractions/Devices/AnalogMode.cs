using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>One mode of an analog circuit: the mode register value that selects it, its unit and range.</summary>
[GenerateSerializer, Immutable, Alias("evok.AnalogMode")]
public sealed record AnalogMode(
    [property: Id(0)] string Name,
    [property: Id(1)] int? RegisterValue,
    [property: Id(2)] string Unit,
    [property: Id(3)] ModeRange? Range)
{
    /// <summary>Writes <c>{"value": 0, "unit": "V", "range": [0, 10]}</c>, leaving out what the definition left out.</summary>
    public void WriteJson(EvokJsonWriter writer)
    {
        writer.BeginObject();
        if (RegisterValue is { } value)
        {
            writer.Name("value").Integer(value);
        }

        writer.Name("unit").String(Unit);
        if (Range is not null)
        {
            writer.Name("range");
            Range.WriteJson(writer);
        }

        writer.EndObject();
    }

    public static void WriteModes(EvokJsonWriter writer, IEnumerable<AnalogMode> modes)
    {
        writer.BeginObject();
        foreach (var mode in modes)
        {
            writer.Name(mode.Name);
            mode.WriteJson(writer);
        }

        writer.EndObject();
    }
}

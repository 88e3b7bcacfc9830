using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>The physical range of an analog mode, e.g. 0..10 V.</summary>
[GenerateSerializer, Immutable, Alias("evok.ModeRange")]
public sealed record ModeRange([property: Id(0)] double Min, [property: Id(1)] double Max)
{
    public void WriteJson(EvokJsonWriter writer) => writer.BeginArray().Number(Min).Number(Max).EndArray();
}

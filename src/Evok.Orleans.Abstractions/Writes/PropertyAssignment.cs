namespace Evok.Orleans.Abstractions.Writes;

/// <summary>One property to set, as Evok's API receives it (<c>value=1</c>, <c>{"mode": "Current"}</c>): text, parsed by the device.</summary>
[GenerateSerializer, Alias("evok.PropertyAssignment")]
public sealed record PropertyAssignment([property: Id(0)] string Name, [property: Id(1)] string Value);

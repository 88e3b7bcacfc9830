namespace Evok.Orleans.Abstractions.Grains;

/// <summary>A device a bus search found: its address and chip type (<c>DS18B20</c>, ...).</summary>
[GenerateSerializer, Immutable, Alias("evok.OneWireDeviceFound")]
public sealed record OneWireDeviceFound([property: Id(0)] string Address, [property: Id(1)] string Type);

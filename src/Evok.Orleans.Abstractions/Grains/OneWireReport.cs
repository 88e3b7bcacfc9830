using System.Collections.Immutable;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// What a 1-Wire bus tells its grain: whether owserver answers (and why not), the supported devices present after a
/// bus search (null when this report holds no search), and the polls done since the last report.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.OneWireReport")]
public sealed record OneWireReport(
    [property: Id(0)] bool Online,
    [property: Id(1)] string? Failure,
    [property: Id(2)] ImmutableArray<OneWireDeviceFound>? Present,
    [property: Id(3)] ImmutableArray<OneWireReading> Readings);

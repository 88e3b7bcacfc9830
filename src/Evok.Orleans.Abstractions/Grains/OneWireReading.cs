using System.Collections.Immutable;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// One poll of one 1-Wire device: the values of its chip's properties in order, or null when the read failed.
/// <see cref="Sequence"/> is the read's place in its bus's order, so a poll that may have seen a value from before
/// a write can never overwrite the write's read-back. <see cref="Time"/> is the controller's monotonic clock in
/// seconds, Evok's <c>time</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.OneWireReading")]
public sealed record OneWireReading(
    [property: Id(0)] string Address,
    [property: Id(1)] long Sequence,
    [property: Id(2)] ImmutableArray<string>? Values,
    [property: Id(3)] double Time);

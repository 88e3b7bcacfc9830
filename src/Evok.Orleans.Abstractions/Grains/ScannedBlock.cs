using System.Collections.Immutable;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>One register block as read by a scan.</summary>
/// <param name="Index">The block's position in the board definition.</param>
/// <param name="ReadAt">When the read was sent (<see cref="System.Diagnostics.Stopwatch"/> timestamp), so a read older than a write's read-back is not applied over it.</param>
/// <param name="Values">The registers, from the block's start.</param>
[GenerateSerializer, Immutable, Alias("evok.ScannedBlock")]
public sealed record ScannedBlock(
    [property: Id(0)] int Index,
    [property: Id(1)] long ReadAt,
    [property: Id(2)] ImmutableArray<ushort> Values);

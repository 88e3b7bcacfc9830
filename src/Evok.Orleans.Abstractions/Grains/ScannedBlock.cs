using System.Collections.Immutable;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>One register block as read by a scan.</summary>
/// <param name="Index">The block's position in the board definition.</param>
/// <param name="Sequence">The read's place in its bus's order (scans, writes and read-backs): a block is applied only over one read earlier in that order, so a scan that may have seen a value from before a write never overwrites the write's read-back.</param>
/// <param name="Values">The registers, from the block's start.</param>
[GenerateSerializer, Immutable, Alias("evok.ScannedBlock")]
public sealed record ScannedBlock(
    [property: Id(0)] int Index,
    [property: Id(1)] long Sequence,
    [property: Id(2)] ImmutableArray<ushort> Values);

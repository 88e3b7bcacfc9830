using System.Collections.Immutable;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// What the bus scanner tells a device's poller, only when something is new: the register blocks whose values
/// changed (or that the poller asked to see again), and whether the device answers.
/// </summary>
/// <param name="Online">Whether the device answered its last scan.</param>
/// <param name="Failure">Why it went offline, when <paramref name="Online"/> is false.</param>
/// <param name="FailedScans">Failed scans of the outage that just ended, when it came back.</param>
/// <param name="Blocks">The blocks to apply, as read (a failed scan brings none).</param>
[GenerateSerializer, Immutable, Alias("evok.ModbusScanReport")]
public sealed record ModbusScanReport(
    [property: Id(0)] bool Online,
    [property: Id(1)] string? Failure,
    [property: Id(2)] int FailedScans,
    [property: Id(3)] ImmutableArray<ScannedBlock> Blocks);

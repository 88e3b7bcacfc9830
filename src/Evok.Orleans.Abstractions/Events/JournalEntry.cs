using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Abstractions.Events;

/// <summary>
/// One change as the controller's change journal keeps it. <see cref="Seq"/> numbers every change the controller
/// publishes, one after the other and never again, across restarts; <see cref="Batch"/> is the number of the first
/// change of the batch it came in, so a reader can give back Evok's unit of notification. <see cref="Json"/> is the
/// device JSON as it was published.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.JournalEntry")]
public sealed record JournalEntry(
    [property: Id(0)] long Seq,
    [property: Id(1)] long Batch,
    [property: Id(2)] DateTimeOffset Time,
    [property: Id(3)] DeviceKind Kind,
    [property: Id(4)] string Key,
    [property: Id(5)] long CircuitSequence,
    [property: Id(6)] string Json)
{
    /// <summary>The device JSON with its journal number as one more property, as resuming subscribers get it.</summary>
    public string JsonWithSeq() => WithSeq(Json, Seq);

    /// <summary>A device object (Evok's JSON, one object) with <c>"seq"</c> added as its last property.</summary>
    public static string WithSeq(string deviceJson, long seq) =>
        string.Concat(deviceJson.AsSpan(0, deviceJson.LastIndexOf('}')), $", \"seq\": {seq}}}");
}

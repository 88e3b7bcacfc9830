using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Abstractions.Events;

/// <summary>
/// One circuit's new state. <see cref="Sequence"/> grows by one with every change of that circuit, so a receiver can
/// tell order and spot a gap; <see cref="Json"/> is the device JSON in the site's <c>json_names</c> naming, rendered once where the change happened.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.DeviceChanged")]
public sealed record DeviceChanged(
    [property: Id(0)] string Key,
    [property: Id(1)] long Sequence,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] DeviceState State,
    [property: Id(4)] string Json)
{
    public DeviceKind Kind => State.Kind;

    /// <summary>
    /// The controller's change journal number (<see cref="JournalEntry.Seq"/>), set when the journal takes the change,
    /// before any sink, watcher or stream sees it; 0 only on the way from the poller to the journal.
    /// </summary>
    [Id(5)]
    public long Seq { get; init; }
}

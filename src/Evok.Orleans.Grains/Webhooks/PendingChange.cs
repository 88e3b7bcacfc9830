namespace Evok.Orleans.Grains.Webhooks;

/// <summary>One circuit's change as it waits in an outbox: enough to send it and to coalesce it with later ones.</summary>
[GenerateSerializer, Alias("evok.PendingChange")]
public sealed record PendingChange(
    [property: Id(0)] string Key,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string Json)
{
    /// <summary>The change's number in the controller's journal.</summary>
    [Id(3)]
    public long Seq { get; init; }
}

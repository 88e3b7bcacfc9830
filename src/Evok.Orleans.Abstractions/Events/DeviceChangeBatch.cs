using System.Collections.Immutable;

namespace Evok.Orleans.Abstractions.Events;

/// <summary>Every circuit that one scan (or one write) of one Modbus device changed: Evok's unit of notification.</summary>
[GenerateSerializer, Immutable, Alias("evok.DeviceChangeBatch")]
public sealed record DeviceChangeBatch(
    [property: Id(0)] string Device,
    [property: Id(1)] ImmutableArray<DeviceChanged> Changes)
{
    /// <summary>The controller of the site whose device this is; empty for a controller on its own.</summary>
    [Id(2)]
    public string Node { get; init; } = string.Empty;
}

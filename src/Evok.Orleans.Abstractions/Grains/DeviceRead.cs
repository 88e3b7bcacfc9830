using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// A device looked up and read in one call to its controller's site grain: <see cref="Key"/> null when no device
/// of that type has that circuit or alias; <see cref="State"/> null when it has not been read from its board yet.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.DeviceRead")]
public sealed record DeviceRead([property: Id(0)] string? Key, [property: Id(1)] DeviceState? State)
{
    public static DeviceRead NotFound { get; } = new(null, null);
}

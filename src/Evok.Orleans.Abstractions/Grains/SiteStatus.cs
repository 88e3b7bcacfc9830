using System.Collections.Immutable;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>What an operator checks first: is every board and 1-Wire bus talking, and is every webhook keeping up.</summary>
[GenerateSerializer, Alias("evok.SiteStatus")]
public sealed record SiteStatus(
    [property: Id(0)] ImmutableArray<ModbusDeviceStatus> Devices,
    [property: Id(1)] ImmutableArray<WebhookOutboxStatus> Webhooks)
{
    [Id(2)]
    public ImmutableArray<OneWireBusStatus> OneWireBuses { get; init; } = [];
}

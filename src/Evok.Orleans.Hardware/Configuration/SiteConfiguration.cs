using System.Collections.Immutable;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Everything config.yaml says, resolved against the hardware definitions.</summary>
public sealed record SiteConfiguration(
    string Source,
    ApiConfiguration Api,
    ImmutableArray<CommChannelConfiguration> Channels,
    ImmutableArray<string> Warnings)
{
    public IEnumerable<ModbusDeviceConfiguration> Devices => Channels.SelectMany(channel => channel.Devices);

    public SiteConfiguration WithWebhook(WebhookConfiguration webhook) =>
        this with { Api = Api with { Webhooks = Api.Webhooks.Add(webhook) } };
}

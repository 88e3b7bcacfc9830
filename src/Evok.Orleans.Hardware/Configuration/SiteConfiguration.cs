using System.Collections.Immutable;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Everything config.yaml says, resolved against the hardware definitions.</summary>
public sealed record SiteConfiguration(
    string Source,
    ApiConfiguration Api,
    ImmutableArray<CommChannelConfiguration> Channels,
    ImmutableArray<string> Warnings)
{
    /// <summary>The 1-Wire buses (OWFS/OWBUS channels), in config order.</summary>
    public ImmutableArray<OneWireBusConfiguration> OneWireBuses { get; init; } = [];

    /// <summary>Evok's <c>logging.level</c> (DEBUG, INFO, WARNING, ERROR, CRITICAL); null leaves the host's default.</summary>
    public string? LogLevel { get; init; }

    public StorageConfiguration Storage { get; init; } = StorageConfiguration.Memory;

    /// <summary>The site this controller is one node of; null: a controller on its own (loopback, as Evok).</summary>
    public ClusterConfiguration? Cluster { get; init; }

    /// <summary>
    /// This controller's node name, which qualifies its grain keys across the site (<c>plc2/relay:1_01</c>); empty
    /// on its own, where keys stay as they always were.
    /// </summary>
    public string Node => Cluster?.Node ?? string.Empty;

    /// <summary>Where circuit aliases are kept (Evok's v2 alias file); null keeps them in memory only.</summary>
    public string? AliasFile { get; init; }

    /// <summary>
    /// Evok's alias file (<c>apis.alias_file</c>; <c>/var/lib/evok/alias.yaml</c> for a config loaded from disk),
    /// imported once when <see cref="AliasFile"/> does not exist yet, so a site moving from Evok keeps its names.
    /// </summary>
    public string? EvokAliasFile { get; init; }

    public IEnumerable<ModbusDeviceConfiguration> Devices => Channels.SelectMany(channel => channel.Devices);

    /// <summary>Other controllers' failover channels this one stands in for (<see cref="CommChannelConfiguration.StandbyFor"/>).</summary>
    public ImmutableArray<CommChannelConfiguration> StandbyChannels { get; init; } = [];

    /// <summary>The nodes this controller stands in for, in name order.</summary>
    public ImmutableArray<string> StandbyNodes => [.. StandbyChannels.Select(channel => channel.StandbyFor!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Node <paramref name="home"/> as far as this controller can stand in for it: its failover channels as declared
    /// here, named as on that node; no 1-Wire buses, webhooks or alias files of its own (the changes of an adopted
    /// bus go out through this controller's webhooks).
    /// </summary>
    public SiteConfiguration StandbyFor(string home) => this with
    {
        Cluster = Cluster! with { Node = home },
        Channels = [.. StandbyChannels.Where(channel => channel.StandbyFor == home)],
        StandbyChannels = [],
        OneWireBuses = [],
        Api = Api with { Webhooks = [] },
        AliasFile = null,
        EvokAliasFile = null,
    };

    public SiteConfiguration WithWebhook(WebhookConfiguration webhook) =>
        this with { Api = Api with { Webhooks = Api.Webhooks.Add(webhook) } };
}

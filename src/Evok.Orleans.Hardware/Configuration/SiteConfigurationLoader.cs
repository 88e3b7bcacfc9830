using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// Reads Evok's <c>config.yaml</c>. Anything present but wrong stops the load with a <see cref="ConfigurationException"/>
/// naming file, line and key (Evok would skip the device and run on half a site, which an integrator finds out about
/// too late). A key that no parser reads is ignored, as Evok does, and warned about with its file and line: each
/// section's parse is the only list of its keys.
/// </summary>
public static class SiteConfigurationLoader
{
    /// <summary>Loads a config file; models are looked up in <c>hw_definitions/</c> next to it, then built in.</summary>
    public static SiteConfiguration Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ConfigurationException(path, 0, "(file)", "config file not found");
        }

        var directory = Path.GetDirectoryName(fullPath)!;
        var site = Parse(path, File.ReadAllText(fullPath), new HardwareDefinitionCatalog(Path.Combine(directory, "hw_definitions")), directory);
        return site with
        {
            AliasFile = Path.Combine(directory, "aliases.yaml"),
            EvokAliasFile = site.EvokAliasFile ?? DefaultEvokAliasFile,
            Storage = site.Storage.InDirectory(directory),
        };
    }

    /// <summary>Where Evok keeps its aliases on a controller.</summary>
    public const string DefaultEvokAliasFile = "/var/lib/evok/alias.yaml";

    /// <summary>The file Unipi's OS writes the controller's boards to, read under config.yaml when it says <c>autogen: true</c>.</summary>
    public const string AutogenFile = "autogen.yaml";

    /// <summary>
    /// Parses config.yaml text. With <c>autogen: true</c> Evok reads <see cref="AutogenFile"/> from
    /// <paramref name="directory"/> first and merges config.yaml over it; a missing file is a warning, as in Evok.
    /// </summary>
    public static SiteConfiguration Parse(string file, string text, HardwareDefinitionCatalog catalog, string? directory = null)
    {
        var warnings = ImmutableArray.CreateBuilder<string>();
        var root = YamlSection.Parse(file, text);
        if (root.Boolean("autogen", false))
        {
            var autogen = Path.Combine(directory ?? ".", AutogenFile);
            if (File.Exists(autogen))
            {
                root = root.MergedOver(autogen, File.ReadAllText(autogen));
            }
            else
            {
                warnings.Add($"{file}:{root.LineOf("autogen")}: autogen: {autogen} does not exist; only {file} is read");
            }
        }

        var api = ApiSection.Parse(root.OptionalSection("apis"), directory);
        var (channels, standbyChannels, oneWireBuses) = CommChannelSection.Parse(root.OptionalSection("comm_channels"), catalog, warnings);
        if (root.OptionalSection("apis")?.Has("json_names") != true)
        {
            api = api with { JsonStyle = DefaultNaming(root, channels.Concat(standbyChannels).SelectMany(channel => channel.Devices)) };
        }

        var site = new SiteConfiguration(file, api, channels, warnings.ToImmutable())
        {
            OneWireBuses = oneWireBuses,
            EvokAliasFile = root.OptionalSection("apis")?.OptionalString("alias_file"),
            Storage = StorageSection.Parse(root.OptionalSection("storage")),
            Cluster = ClusterSection.Parse(root.OptionalSection("cluster"), directory),
            LogLevel = LoggingSection.Parse(root.OptionalSection("logging"), warnings),
            StandbyChannels = standbyChannels,
        };
        EnsureOwPowerDevices(site, root);
        EnsureFailoverInSite(site, root);
        root.WarnUnread(warnings);
        return site with { Warnings = warnings.ToImmutable() };
    }

    /// <summary>
    /// The names a controller's receivers expect when config.yaml does not say (<c>apis.json_names</c>). Evok changed
    /// its definition format and its device names together (early 2024), so the controller's own definition files
    /// (<c>hw_definitions/</c> next to config.yaml, which Evok's package installs) tell: one in Evok 3's format means
    /// Evok 3's names (<c>ro</c>/<c>di</c>, ...), one in the older format Evok 2's (<c>relay</c>/<c>input</c>). When no
    /// file tells (no folder, or boards whose files read the same in both), <c>autogen: true</c> — Unipi's OS
    /// configurator, which current images run — means Evok 3; anything else keeps Evok 2's names.
    /// </summary>
    private static EvokJsonStyle DefaultNaming(YamlSection root, IEnumerable<ModbusDeviceConfiguration> devices)
    {
        var formats = devices.Where(device => !device.Board.BuiltIn).Select(device => device.Board.Format).ToHashSet();
        if (formats.Contains(DefinitionFormat.Evok3))
        {
            return EvokJsonStyle.Evok3;
        }

        if (formats.Contains(DefinitionFormat.Evok2))
        {
            return EvokJsonStyle.Evok2;
        }

        return root.Boolean("autogen", false) ? EvokJsonStyle.Evok3 : EvokJsonStyle.Evok2;
    }

    /// <summary>Failover is between the controllers of a site: a <c>cluster</c> section, and another node to stand in for.</summary>
    private static void EnsureFailoverInSite(SiteConfiguration site, YamlSection root)
    {
        var channels = root.OptionalSection("comm_channels");
        foreach (var channel in site.Channels.Where(channel => channel.Failover).Concat(site.StandbyChannels))
        {
            var section = channel.StandbyFor is null ? "failover" : "standby_for";
            if (site.Cluster is null)
            {
                throw channels!.OptionalSection(channel.Name)!.Error(section, "fails over only between the controllers of a site: add a cluster section");
            }

            if (channel.StandbyFor == site.Node)
            {
                throw channels!.OptionalSection(channel.Name)!.Error(section, $"names this controller's own node '{site.Node}'; name the controller whose bus this one takes over");
            }
        }
    }

    /// <summary>An <c>owpower</c> must name a device of this file whose board has an OWPOWER coil.</summary>
    private static void EnsureOwPowerDevices(SiteConfiguration site, YamlSection root)
    {
        foreach (var bus in site.OneWireBuses.Where(bus => bus.OwPower is not null))
        {
            var device = site.Devices.FirstOrDefault(device => device.Name == bus.OwPower);
            if (device is null || !device.Board.Features.Any(feature => feature.Kind == DeviceKind.OwPower))
            {
                var problem = device is null
                    ? $"no device named '{bus.OwPower}' in this file"
                    : $"device '{bus.OwPower}' (model {device.Board.Model}) has no OWPOWER feature";
                throw new ConfigurationException(root.File, bus.Line, $"comm_channels.{bus.Name}.owpower", problem);
            }
        }
    }

}

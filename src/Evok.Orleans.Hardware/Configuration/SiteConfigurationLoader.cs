using System.Collections.Immutable;
using System.IO.Ports;
using System.Net;
using System.Net.Sockets;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.OneWire;
using Evok.Orleans.Hardware.Writes;
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

        var api = ParseApi(root.OptionalSection("apis"), directory);
        var channels = ImmutableArray.CreateBuilder<CommChannelConfiguration>();
        var standbyChannels = ImmutableArray.CreateBuilder<CommChannelConfiguration>();
        var standbyPositions = new Dictionary<string, int>(StringComparer.Ordinal);
        var oneWireBuses = ImmutableArray.CreateBuilder<OneWireBusConfiguration>();
        var deviceLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var position = 0;

        foreach (var (channelName, channel) in root.OptionalSection("comm_channels")?.Entries() ?? [])
        {
            var type = channel.RequiredString("type").ToUpperInvariant();
            var standbyFor = ParseStandbyFor(channel, type);
            var oneWire = type is "OWFS" or "OWBUS";
            var devicesSection = oneWire ? null : channel.OptionalSection("devices");
            var devices = ImmutableArray.CreateBuilder<ModbusDeviceConfiguration>();
            foreach (var (deviceName, device) in devicesSection?.Entries() ?? [])
            {
                // Another node's devices are named as on that node: unique among that node's, and numbered apart from
                // ours, which keep Evok's glob_dev_id (their place in the file). Theirs take their node's when taken over.
                int globalDeviceId;
                if (standbyFor is null)
                {
                    position++;
                    globalDeviceId = position + 1;
                }
                else
                {
                    globalDeviceId = standbyPositions[standbyFor] = standbyPositions.GetValueOrDefault(standbyFor) + 1;
                }

                var lineKey = standbyFor is null ? deviceName : NodeKey.Qualify(standbyFor, deviceName);
                if (deviceLines.TryGetValue(lineKey, out var firstLine))
                {
                    throw new ConfigurationException(
                        file, device.Line, device.Path, $"device name '{deviceName}' is already used at line {firstLine}; names must be unique across the file");
                }

                deviceLines[lineKey] = device.Line;
                if (!device.Boolean("enabled", true))
                {
                    device.Skip();
                    continue;
                }

                devices.Add(ParseDevice(deviceName, channelName, channel, device, globalDeviceId, catalog, warnings));
            }

            if (!channel.Boolean("enabled", true))
            {
                channel.Skip();
                continue;
            }

            switch (type)
            {
                case "MODBUSTCP":
                    (standbyFor is null ? channels : standbyChannels).Add(new CommChannelConfiguration(
                        channelName,
                        channel.OptionalString("hostname") ?? "127.0.0.1",
                        channel.Integer("port", 502, 1, 65535),
                        devices.ToImmutable())
                    {
                        MaxPipelinedRequests = channel.Integer("max_pipelined_requests", CommChannelConfiguration.DefaultMaxPipelinedRequests, 1, 1024),
                        DeviceInfo = ParseDeviceInfo(channel.OptionalSection("device_info"), null),
                        Failover = standbyFor is not null || channel.Boolean("failover", false),
                        StandbyFor = standbyFor,
                    });
                    break;
                case "MODBUSRTU":
                    var serial = ParseSerialLine(channel);
                    channels.Add(new CommChannelConfiguration(channelName, serial.Port, 0, devices.ToImmutable())
                    {
                        Serial = serial,
                        MaxPipelinedRequests = 1,
                        DeviceInfo = ParseDeviceInfo(channel.OptionalSection("device_info"), null),
                    });
                    break;
                case "OWFS" or "OWBUS":
                    oneWireBuses.Add(ParseOneWireBus(channelName, channel, deviceLines));
                    break;
                default:
                    throw channel.Error("type", $"unknown channel type '{type}' (expected MODBUSTCP, MODBUSRTU, OWFS or OWBUS)");
            }
        }

        if (root.OptionalSection("apis")?.Has("json_names") != true)
        {
            api = api with { JsonStyle = DefaultNaming(root, channels.Concat(standbyChannels).SelectMany(channel => channel.Devices)) };
        }

        var site = new SiteConfiguration(file, api, channels.ToImmutable(), warnings.ToImmutable())
        {
            OneWireBuses = oneWireBuses.ToImmutable(),
            EvokAliasFile = root.OptionalSection("apis")?.OptionalString("alias_file"),
            Storage = ParseStorage(root.OptionalSection("storage")),
            Cluster = ClusterSection.Parse(root.OptionalSection("cluster"), directory),
            LogLevel = ParseLogLevel(root.OptionalSection("logging")),
            StandbyChannels = standbyChannels.ToImmutable(),
        };
        EnsureOwPowerDevices(site, root);
        EnsureFailoverInSite(site, root);
        if (root.OptionalSection("logging") is { } logging && logging.Has("file"))
        {
            warnings.Add($"{logging.File}:{logging.LineOf("file")}: logging.file: logs go to standard output (the journal under systemd), not to a file");
        }

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

    /// <summary>
    /// <c>failover</c> and <c>standby_for</c> (ours) belong to a bus another controller can reach too: Modbus TCP.
    /// An RS485 line or an owserver exists only on its own controller.
    /// </summary>
    private static string? ParseStandbyFor(YamlSection channel, string type)
    {
        foreach (var key in new[] { "failover", "standby_for" })
        {
            if (channel.Has(key) && type != "MODBUSTCP")
            {
                throw channel.Error(key, $"only a MODBUSTCP channel can fail over to another controller (this one is {type}, which exists only on its own controller)");
            }
        }

        return channel.OptionalString("standby_for");
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

    /// <summary>
    /// Evok's OWFS/OWBUS keys (<c>interval</c>, <c>scan_interval</c> in seconds, <c>owpower</c>) and ours (<c>host</c>,
    /// <c>port</c>). A <c>scan_interval</c> of 0 or less means once an hour, as in Evok.
    /// </summary>
    private static OneWireBusConfiguration ParseOneWireBus(string name, YamlSection channel, Dictionary<string, int> deviceLines)
    {
        var devices = ImmutableArray.CreateBuilder<OneWireDeviceConfiguration>();
        foreach (var (deviceName, device) in channel.OptionalSection("devices")?.Entries() ?? [])
        {
            if (deviceLines.TryGetValue(deviceName, out var firstLine))
            {
                throw new ConfigurationException(
                    device.File, device.Line, device.Path, $"device name '{deviceName}' is already used at line {firstLine}; names must be unique across the file");
            }

            deviceLines[deviceName] = device.Line;
            if (device.Boolean("enabled", true))
            {
                devices.Add(ParseOneWireDevice(deviceName, device, devices));
            }
            else
            {
                device.Skip();
            }
        }

        var scanInterval = channel.Number("scan_interval", OneWireBusConfiguration.DefaultScanInterval.TotalSeconds, double.MinValue, OneWireBusConfiguration.MaxIntervalSeconds);
        return new OneWireBusConfiguration(name, channel.OptionalString("host") ?? "127.0.0.1", channel.Integer("port", 4304, 1, 65535))
        {
            Interval = TimeSpan.FromSeconds(channel.Number(
                "interval", OneWireBusConfiguration.DefaultInterval.TotalSeconds, OneWireBusConfiguration.MinIntervalSeconds, OneWireBusConfiguration.MaxIntervalSeconds)),
            ScanInterval = TimeSpan.FromSeconds(OneWireBusConfiguration.ScanIntervalSeconds(scanInterval)),
            OwPower = channel.OptionalString("owpower"),
            Line = channel.LineOf("owpower"),
            Devices = devices.ToImmutable(),
        };
    }

    /// <summary>A listed 1-Wire device: <c>type</c> one Evok knows, <c>address</c> as owfs writes it (dots optional).</summary>
    private static OneWireDeviceConfiguration ParseOneWireDevice(string name, YamlSection device, IEnumerable<OneWireDeviceConfiguration> before)
    {
        var type = device.RequiredString("type").Trim().ToUpperInvariant();
        if (OneWireChip.Find(type) is null)
        {
            throw device.Error("type", $"unknown 1-Wire type '{WriteValue.Quote(type)}' (expected {string.Join(", ", OneWireChip.Types)})");
        }

        var written = device.RequiredString("address");
        var address = OneWireChip.NormalAddress(written)
            ?? throw device.Error("address", $"expected a 1-Wire address as owfs writes it, family.serial.crc in 16 hex digits (28.000028D70000.11), got '{WriteValue.Quote(written)}'");
        if (before.FirstOrDefault(other => other.Address == address) is { } twice)
        {
            throw device.Error("address", $"{address} is listed already, as device '{twice.Name}'");
        }

        var interval = device.Number(
            "interval", OneWireDeviceConfiguration.DefaultIntervalSeconds, OneWireBusConfiguration.MinIntervalSeconds, OneWireBusConfiguration.MaxIntervalSeconds);
        return new OneWireDeviceConfiguration(name, address, type, TimeSpan.FromSeconds(interval));
    }

    /// <summary>
    /// A <c>device_info</c> section: a bus's (the controller; <c>model</c> required) or, as in Evok 3, one device's
    /// (its <c>model</c> defaults to the device's).
    /// </summary>
    private static DeviceInfoConfiguration? ParseDeviceInfo(YamlSection? info, string? deviceModel) => info is null
        ? null
        : new DeviceInfoConfiguration(
            info.OptionalString("family") ?? "unknown",
            deviceModel is null ? info.RequiredString("model") : info.OptionalString("model") ?? deviceModel,
            info.Has("sn") ? info.Integer("sn", 0, 0, int.MaxValue) : null,
            info.Integer("board_count", 1, 1, 64));

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

    /// <summary>
    /// Evok's MODBUSRTU keys (<c>port</c>, <c>baudrate</c>, <c>parity</c>, <c>stopbits</c>; also the spellings
    /// <c>baud_rate</c> and <c>stop_bits</c> that Evok's docs use) and ours (<c>timeout</c> in seconds, <c>retries</c>).
    /// </summary>
    private static SerialLineConfiguration ParseSerialLine(YamlSection channel)
    {
        var port = channel.RequiredString("port");
        var baudKey = channel.Has("baudrate") || !channel.Has("baud_rate") ? "baudrate" : "baud_rate";
        var baudRate = channel.Integer(baudKey, 19200, 50, 4_000_000);
        var parity = (channel.OptionalString("parity") ?? "N").ToUpperInvariant() switch
        {
            "N" or "NONE" => Parity.None,
            "E" or "EVEN" => Parity.Even,
            "O" or "ODD" => Parity.Odd,
            var other => throw channel.Error("parity", $"expected N, E or O, got '{other}'"),
        };
        var stopKey = channel.Has("stopbits") || !channel.Has("stop_bits") ? "stopbits" : "stop_bits";
        var stopBits = channel.Number(stopKey, 1, 1, 2) switch
        {
            1 => StopBits.One,
            1.5 => StopBits.OnePointFive,
            2 => StopBits.Two,
            var other => throw channel.Error(stopKey, $"expected 1, 1.5 or 2, got {other}"),
        };
        return new SerialLineConfiguration(port, baudRate, parity, stopBits)
        {
            Timeout = TimeSpan.FromSeconds(channel.Number("timeout", SerialLineConfiguration.DefaultTimeout.TotalSeconds, 0.01, 10)),
            Retries = channel.Integer("retries", SerialLineConfiguration.DefaultRetries, 0, 10),
        };
    }

    private static ModbusDeviceConfiguration ParseDevice(
        string name,
        string channel,
        YamlSection channelSection,
        YamlSection device,
        int globalDeviceId,
        HardwareDefinitionCatalog catalog,
        ImmutableArray<string>.Builder warnings)
    {
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
        {
            throw new ConfigurationException(device.File, device.Line, device.Path, $"device name '{name}' may hold only letters, digits, '_', '-' and '.'");
        }

        var model = device.RequiredString("model");
        var board = catalog.Find(model)
            ?? throw device.Error("model", $"unknown model '{model}': no hw_definitions/{model}.yaml next to the config and no built-in definition (built in: {string.Join(", ", HardwareDefinitionCatalog.BuiltInModels.Order())})");
        warnings.AddRange(board.Warnings);
        return new ModbusDeviceConfiguration(
            name,
            channel,
            (byte)device.Integer("slave-id", 1, 0, 255),
            device.Number("scan_frequency", 50, 0, ModbusDeviceConfiguration.MaxScanFrequency),
            globalDeviceId,
            board)
        {
            DeviceInfo = ParseDeviceInfo(device.OptionalSection("device_info"), model),
            ScanEnabled = device.Boolean("scan_enabled", true),

            // Per device, or for every device of the channel.
            OfflineAfter = device.Integer("offline_after", channelSection.Integer("offline_after", ModbusDeviceConfiguration.DefaultHysteresis, 1, 1000), 1, 1000),
            OnlineAfter = device.Integer("online_after", channelSection.Integer("online_after", ModbusDeviceConfiguration.DefaultHysteresis, 1, 1000), 1, 1000),
            CoalesceReads = device.Boolean("coalesce_reads", channelSection.Boolean("coalesce_reads", true)),
        };
    }

    private static string? ParseLogLevel(YamlSection? logging) => (logging?.OptionalString("level"))?.ToUpperInvariant() switch
    {
        null => null,
        ("DEBUG" or "INFO" or "WARNING" or "WARN" or "ERROR" or "CRITICAL" or "FATAL") and var level => level,
        var other => throw logging!.Error("level", $"expected DEBUG, INFO, WARNING, ERROR or CRITICAL, got '{other}'"),
    };

    /// <summary>
    /// <c>apis.address</c>: empty for every interface, an IP address, or a host name, resolved here (Kestrel would
    /// listen on every interface for a name it does not know, while the log shows the name).
    /// </summary>
    private static string ListenAddress(YamlSection apis)
    {
        var address = apis.OptionalString("address") ?? ApiConfiguration.Default.Address;
        if (address.Length == 0 || IPAddress.TryParse(address, out _))
        {
            return address;
        }

        if (Uri.CheckHostName(address) != UriHostNameType.Dns)
        {
            throw apis.Error("address", $"expected an IP address or a host name, got '{WriteValue.Quote(address)}'");
        }

        try
        {
            var resolved = Dns.GetHostAddresses(address);
            return (resolved.FirstOrDefault(ip => ip.AddressFamily == AddressFamily.InterNetwork) ?? resolved.First()).ToString();
        }
        catch (Exception exception) when (exception is SocketException or InvalidOperationException)
        {
            throw apis.Error("address", $"host name '{address}' does not resolve to an address of this machine");
        }
    }

    private static ApiConfiguration ParseApi(YamlSection? apis, string? directory)
    {
        if (apis is null)
        {
            return ApiConfiguration.Default;
        }

        var webhooks = ImmutableArray.CreateBuilder<WebhookConfiguration>();
        if (apis.OptionalSection("webhook") is { } webhook)
        {
            if (webhook.Boolean("enabled", false))
            {
                webhooks.Add(ParseWebhook("webhook", webhook));
            }
            else
            {
                webhook.Skip();
            }
        }

        foreach (var entry in apis.SectionList("webhooks"))
        {
            if (!entry.Boolean("enabled", true))
            {
                entry.Skip();
                continue;
            }

            var name = entry.OptionalString("name") ?? $"webhook{webhooks.Count + 1}";
            if (name.Contains(':', StringComparison.Ordinal))
            {
                // The journal keeps each webhook's place by its name, next to the MQTT changes topic's "mqtt:changes".
                throw entry.Error("name", $"webhook name '{WriteValue.Quote(name)}' must not contain ':'");
            }

            if (webhooks.Any(existing => existing.Name == name))
            {
                throw entry.Error("name", $"webhook name '{name}' is used twice");
            }

            webhooks.Add(ParseWebhook(name, entry));
        }

        var api = new ApiConfiguration(
            ListenAddress(apis),
            apis.Integer("port", ApiConfiguration.Default.Port, 1, 65535),
            apis.OptionalSection("websocket")?.Boolean("enabled", true) ?? true,
            webhooks.ToImmutable())
        {
            OrleansDashboard = apis.Boolean("orleans_dashboard", false),
            OrleansStream = apis.Boolean("orleans_stream", false),
            WebSocketAllFiltered = apis.OptionalSection("websocket")?.Boolean("all_filtered", false) ?? false,
            JsonStyle = (apis.OptionalString("json_names") ?? "evok2").ToLowerInvariant() switch
            {
                "evok2" or "seed" => EvokJsonStyle.Evok2,
                "evok3" => EvokJsonStyle.Evok3,
                var other => throw apis.Error("json_names", $"expected evok2 or evok3, got '{other}'"),
            },
        };
        return ApiSecuritySection.Apply(
            api with { Metrics = ParseMetrics(apis.OptionalSection("metrics")), Mqtt = MqttSection.Parse(apis.OptionalSection("mqtt"), directory) },
            apis,
            directory);
    }

    private static MetricsConfiguration ParseMetrics(YamlSection? metrics)
    {
        if (metrics is null)
        {
            return MetricsConfiguration.Default;
        }

        Uri? otlp = null;
        if (metrics.OptionalString("otlp_endpoint") is { } endpoint &&
            !(Uri.TryCreate(endpoint, UriKind.Absolute, out otlp) && otlp.Scheme is "http" or "https"))
        {
            throw metrics.Error("otlp_endpoint", $"expected an http:// or https:// address of an OTLP collector, got '{WriteValue.Quote(endpoint)}'");
        }

        return new MetricsConfiguration(metrics.Boolean("enabled", MetricsConfiguration.Default.Enabled), metrics.Boolean("orleans", MetricsConfiguration.Default.OrleansMeters), otlp);
    }

    private static WebhookConfiguration ParseWebhook(string name, YamlSection webhook)
    {
        var address = WebhookConfiguration.DefaultAddress;
        if (webhook.OptionalString("address") is { } text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            {
                throw webhook.Error("address", $"expected an http:// or https:// URL, got '{text}'");
            }

            address = parsed;
        }

        var names = webhook.StringList("device_mask") ?? WebhookConfiguration.DefaultDeviceMask;
        if (!DeviceMask.TryParse(names, out var mask, out var unknown))
        {
            throw webhook.Error("device_mask", $"unknown device type '{unknown}' (known: {string.Join(", ", DeviceTypeNames.KnownNames)})");
        }

        var overflow = (webhook.OptionalString("overflow") ?? "coalesce").ToLowerInvariant() switch
        {
            "coalesce" => WebhookOverflow.Coalesce,
            "drop_oldest" => WebhookOverflow.DropOldest,
            "block" => throw webhook.Error("overflow", "'block' would stall polling while the receiver is away; use coalesce or drop_oldest"),
            var other => throw webhook.Error("overflow", $"expected coalesce or drop_oldest, got '{other}'"),
        };
        var secret = webhook.OptionalString("secret");
        if (secret is not null && !IsStandardWebhooksSecret(secret))
        {
            throw webhook.Error("secret", "expected whsec_ followed by base64 (at least 24 bytes), as Standard Webhooks defines");
        }

        return new WebhookConfiguration(name, address, mask, webhook.Boolean("complex_events", false))
        {
            Secret = secret,
            Timeout = TimeSpan.FromSeconds(webhook.Number("timeout", 5, 0.1, 300)),
            MaxOutstandingEvents = webhook.Integer("max_outstanding_events", 10_000, 1, 1_000_000),
            Overflow = overflow,
        };
    }

    private static bool IsStandardWebhooksSecret(string secret)
    {
        var encoded = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret;
        var bytes = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, bytes, out var length) && length >= 24;
    }

    private static StorageConfiguration ParseStorage(YamlSection? storage)
    {
        if (storage is null)
        {
            return StorageConfiguration.Sqlite;
        }

        var kind = (storage.OptionalString("type") ?? "sqlite").ToLowerInvariant() switch
        {
            "memory" => StorageConfiguration.Memory,
            "sqlite" => StorageConfiguration.Sqlite,
            "redis" => new StorageConfiguration("redis", storage.OptionalString("connection_string") ?? "127.0.0.1:6379"),
            var other => throw storage.Error("type", $"expected sqlite, memory or redis, got '{WriteValue.Quote(other)}'"),
        };
        var sync = (storage.OptionalString("sync") ?? "group").ToLowerInvariant() switch
        {
            "group" => false,
            "always" => true,
            var other => throw storage.Error("sync", $"expected group or always, got '{WriteValue.Quote(other)}'"),
        };
        return kind with
        {
            CommitInterval = TimeSpan.FromSeconds(storage.Number("commit_interval", 1, 0.05, 60)),
            SyncAlways = sync,
            KeepChanges = (long)storage.Number("journal_changes", 500_000, 1, 100_000_000),
            KeepAge = TimeSpan.FromDays(storage.Number("journal_days", 7, 0.01, 3650)),
        };
    }
}

using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Reads <c>comm_channels</c>: Modbus TCP, RS485 (Modbus RTU) and 1-Wire channels with their devices.</summary>
internal static class CommChannelSection
{
    /// <summary>
    /// Every channel of <c>comm_channels</c>, in the file's order: ours, those of another node this one stands by for,
    /// and the 1-Wire buses. Device names are unique across the file.
    /// </summary>
    public static (ImmutableArray<CommChannelConfiguration> Channels, ImmutableArray<CommChannelConfiguration> StandbyChannels, ImmutableArray<OneWireBusConfiguration> OneWireBuses) Parse(
        YamlSection? channelsSection, HardwareDefinitionCatalog catalog, ImmutableArray<string>.Builder warnings)
    {
        var channels = ImmutableArray.CreateBuilder<CommChannelConfiguration>();
        var standbyChannels = ImmutableArray.CreateBuilder<CommChannelConfiguration>();
        var standbyPositions = new Dictionary<string, int>(StringComparer.Ordinal);
        var oneWireBuses = ImmutableArray.CreateBuilder<OneWireBusConfiguration>();
        var deviceLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var position = 0;

        foreach (var (channelName, channel) in channelsSection?.Entries() ?? [])
        {
            var type = channel.RequiredString("type").ToUpperInvariant();
            var standbyFor = StandbyFor(channel, type);
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
                        device.File, device.Line, device.Path, $"device name '{deviceName}' is already used at line {firstLine}; names must be unique across the file");
                }

                deviceLines[lineKey] = device.Line;
                if (!device.Boolean("enabled", true))
                {
                    device.Skip();
                    continue;
                }

                devices.Add(ModbusDeviceSection.Parse(deviceName, channelName, channel, device, globalDeviceId, catalog, warnings));
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
                        DeviceInfo = DeviceInfoSection.Parse(channel.OptionalSection("device_info"), null),
                        Failover = standbyFor is not null || channel.Boolean("failover", false),
                        StandbyFor = standbyFor,
                    });
                    break;
                case "MODBUSRTU":
                    var serial = SerialLineSection.Parse(channel);
                    channels.Add(new CommChannelConfiguration(channelName, serial.Port, 0, devices.ToImmutable())
                    {
                        Serial = serial,
                        MaxPipelinedRequests = 1,
                        DeviceInfo = DeviceInfoSection.Parse(channel.OptionalSection("device_info"), null),
                    });
                    break;
                case "OWFS" or "OWBUS":
                    oneWireBuses.Add(OneWireBusSection.Parse(channelName, channel, deviceLines));
                    break;
                default:
                    throw channel.Error("type", $"unknown channel type '{type}' (expected MODBUSTCP, MODBUSRTU, OWFS or OWBUS)");
            }
        }

        return (channels.ToImmutable(), standbyChannels.ToImmutable(), oneWireBuses.ToImmutable());
    }

    /// <summary>
    /// <c>failover</c> and <c>standby_for</c> (ours) belong to a bus another controller can reach too: Modbus TCP.
    /// An RS485 line or an owserver exists only on its own controller.
    /// </summary>
    private static string? StandbyFor(YamlSection channel, string type)
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
}

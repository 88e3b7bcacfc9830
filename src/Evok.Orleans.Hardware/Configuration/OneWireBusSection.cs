using System.Collections.Immutable;
using Evok.Orleans.Hardware.OneWire;
using Evok.Orleans.Hardware.Writes;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Reads an <c>OWFS</c>/<c>OWBUS</c> channel and its listed devices.</summary>
internal static class OneWireBusSection
{
    /// <summary>
    /// Evok's OWFS/OWBUS keys (<c>interval</c>, <c>scan_interval</c> in seconds, <c>owpower</c>) and ours (<c>host</c>,
    /// <c>port</c>). A <c>scan_interval</c> of 0 or less means once an hour, as in Evok.
    /// </summary>
    public static OneWireBusConfiguration Parse(string name, YamlSection channel, Dictionary<string, int> deviceLines)
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
}

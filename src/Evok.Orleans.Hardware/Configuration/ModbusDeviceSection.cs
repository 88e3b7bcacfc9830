using System.Collections.Immutable;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Reads a Modbus device of a channel: its model (from the definition catalog), unit id and scan settings.</summary>
internal static class ModbusDeviceSection
{
    public static ModbusDeviceConfiguration Parse(
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
            DeviceInfo = DeviceInfoSection.Parse(device.OptionalSection("device_info"), model),
            ScanEnabled = device.Boolean("scan_enabled", true),

            // Per device, or for every device of the channel.
            OfflineAfter = device.Integer("offline_after", channelSection.Integer("offline_after", ModbusDeviceConfiguration.DefaultHysteresis, 1, 1000), 1, 1000),
            OnlineAfter = device.Integer("online_after", channelSection.Integer("online_after", ModbusDeviceConfiguration.DefaultHysteresis, 1, 1000), 1, 1000),
            CoalesceReads = device.Boolean("coalesce_reads", channelSection.Boolean("coalesce_reads", true)),
        };
    }
}

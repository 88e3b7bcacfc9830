using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// Reads a <c>device_info</c> section: a bus's (the controller; <c>model</c> required) or, as in Evok 3, one device's
/// (its <c>model</c> defaults to the device's).
/// </summary>
internal static class DeviceInfoSection
{
    public static DeviceInfoConfiguration? Parse(YamlSection? info, string? deviceModel) => info is null
        ? null
        : new DeviceInfoConfiguration(
            info.OptionalString("family") ?? "unknown",
            deviceModel is null ? info.RequiredString("model") : info.OptionalString("model") ?? deviceModel,
            info.Has("sn") ? info.Integer("sn", 0, 0, int.MaxValue) : null,
            info.Integer("board_count", 1, 1, 64));
}

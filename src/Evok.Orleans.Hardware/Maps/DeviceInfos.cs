using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Configuration;

namespace Evok.Orleans.Hardware.Maps;

/// <summary>
/// Evok's <c>device_info</c> devices of a site, fixed by its configuration (EVOK-BUSES §5), by Evok 3's config.py:
/// a bus's <c>device_info</c> is the controller (circuit = its model); each device of a bus without one, and each
/// device with a <c>device_info</c> of its own, is a module (circuit = the device's name).
/// </summary>
public static class DeviceInfos
{
    public static ImmutableArray<DeviceInfoState> Of(SiteConfiguration site) =>
    [
        .. site.Channels.SelectMany(channel => Controller(channel).Concat(
            channel.Devices.Where(device => channel.DeviceInfo is null || device.DeviceInfo is not null).Select(Module))),
    ];

    private static IEnumerable<DeviceInfoState> Controller(CommChannelConfiguration channel) => channel.DeviceInfo is { } info
        ? [new DeviceInfoState { Circuit = info.Model, GlobalDeviceId = 0, Family = info.Family, Model = info.Model, SerialNumber = info.SerialNumber, BoardCount = info.BoardCount }]
        : [];

    private static DeviceInfoState Module(ModbusDeviceConfiguration device)
    {
        var info = device.DeviceInfo ?? new DeviceInfoConfiguration("unknown", device.Board.Model, null, 1);
        return new DeviceInfoState
        {
            Circuit = device.Name,
            GlobalDeviceId = device.GlobalDeviceId,
            Family = info.Family == "unknown" && IsExtension(info.Model) ? "Extension" : info.Family,
            Model = info.Model,
            SerialNumber = info.SerialNumber,
            BoardCount = info.BoardCount,
        };
    }

    /// <summary>Evok: <c>model[:2].lower() in ['xs', 'xm', 'xl', 'xg']</c>.</summary>
    private static bool IsExtension(string model) =>
        model.Length >= 2 && char.ToLowerInvariant(model[0]) == 'x' && char.ToLowerInvariant(model[1]) is 's' or 'm' or 'l' or 'g';
}

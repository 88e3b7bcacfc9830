using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Configuration;

namespace Evok.Orleans.Hardware.Maps;

/// <summary>Evok's <c>device_info</c> devices of a site, fixed by its configuration (EVOK-BUSES §5).</summary>
public static class DeviceInfos
{
    public static ImmutableArray<DeviceInfoState> Of(SiteConfiguration site) =>
    [
        .. site.Channels.SelectMany(channel => channel.DeviceInfo is { } info
            ? [new DeviceInfoState { Circuit = info.Model, GlobalDeviceId = 0, Family = info.Family, Model = info.Model, SerialNumber = info.SerialNumber, BoardCount = info.BoardCount }]
            : channel.Devices.Select(device => new DeviceInfoState
            {
                Circuit = device.Name,
                GlobalDeviceId = device.GlobalDeviceId,
                Family = IsExtension(device.Board.Model) ? "Extension" : "unknown",
                Model = device.Board.Model,
                BoardCount = 1,
            })),
    ];

    private static bool IsExtension(string model) =>
        model.Length > 2 && model[0] == 'x' && model[1] is 'S' or 'M' or 'L' or 'G';
}

using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Configuration;

namespace Evok.Orleans.Grains.OneWire;

/// <summary>The grains of a site's 1-Wire buses, and which of them has a device (found at run time, so asked).</summary>
internal static class OneWireBuses
{
    public static IEnumerable<IOneWireBusGrain> Of(IGrainFactory grains, SiteConfiguration site) =>
        site.OneWireBuses.Select(bus => new NodeGrains(grains, site.Node).OneWireBus(bus.Name));

    /// <summary>The bus that has the device of <paramref name="key"/>, and its state; null when none has it.</summary>
    public static async Task<(IOneWireBusGrain Bus, DeviceState State)?> FindAsync(IGrainFactory grains, SiteConfiguration site, string key)
    {
        foreach (var bus in Of(grains, site))
        {
            if (await bus.GetStateAsync(key) is { } state)
            {
                return (bus, state);
            }
        }

        return null;
    }
}

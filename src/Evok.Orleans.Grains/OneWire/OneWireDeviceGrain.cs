using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Grains.Circuits;
using Evok.Orleans.Grains.Site;

namespace Evok.Orleans.Grains.OneWire;

/// <summary>
/// A 1-Wire device or bus as clients address it; its bus's grain holds the state. Devices are found at run time, so
/// its owner is the bus whose grain knows the key (a site has one 1-Wire bus in practice, so that is one call).
/// </summary>
public sealed class OneWireDeviceGrain(NodeMaps maps) : CircuitGrain<DeviceState>(maps), IOneWireDeviceGrain
{
    protected override async ValueTask<ICircuitOwnerGrain?> FindOwnerAsync(string key) =>
        (await OneWireBuses.FindAsync(GrainFactory, Site.Configuration, key))?.Bus;
}

using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Grains.Site;

namespace Evok.Orleans.Grains.Circuits;

public sealed class DigitalInputGrain(NodeMaps maps) : CircuitGrain<DigitalInputState>(maps), IDigitalInputGrain
{
}

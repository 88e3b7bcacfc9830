using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Grains.Site;

namespace Evok.Orleans.Grains.Circuits;

public sealed class WatchdogGrain(NodeMaps maps) : CircuitGrain<WatchdogState>(maps), IWatchdogGrain
{
}

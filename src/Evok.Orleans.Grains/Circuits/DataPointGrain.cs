using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Grains.Site;

namespace Evok.Orleans.Grains.Circuits;

public sealed class DataPointGrain(NodeMaps maps) : CircuitGrain<DataPointState>(maps), IDataPointGrain;

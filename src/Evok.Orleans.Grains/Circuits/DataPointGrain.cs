using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Circuits;

public sealed class DataPointGrain(SiteMap site) : CircuitGrain<DataPointState>(site), IDataPointGrain;

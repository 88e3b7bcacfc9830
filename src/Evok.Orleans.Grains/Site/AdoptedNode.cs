using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Site;

/// <summary>Another node's failover boards as taken over here, with the states they last published, by board name.</summary>
internal sealed record AdoptedNode(SiteMap Map, IReadOnlyDictionary<string, ImmutableArray<DeviceState>> LastStates);

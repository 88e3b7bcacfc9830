using System.Collections.Concurrent;
using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Site;

/// <summary>
/// The board maps a silo's grains are built from, by the node of their key: this controller's own, and, while this
/// controller has taken another node's failover channels over (<see cref="Failover.FailoverStandby"/>), that node's
/// boards on them. A grain of any other node has nothing to run on here.
/// </summary>
public sealed class NodeMaps(SiteMap own)
{
    private readonly ConcurrentDictionary<string, AdoptedNode> _adopted = new(StringComparer.Ordinal);

    public bool IsOwn(string node) => node == own.Configuration.Node;

    /// <exception cref="NodeUnavailableException">The node is another controller's and not taken over here.</exception>
    public SiteMap For(string node) => IsOwn(node)
        ? own
        : _adopted.TryGetValue(node, out var adopted) ? adopted.Map : throw NodeUnavailableException.Of(node);

    /// <summary>
    /// What a taken-over board last published as this controller saw it while its node was up (empty when it saw
    /// nothing): its new poller starts from there, so only what changed since is published again.
    /// </summary>
    public ImmutableArray<DeviceState> LastStatesOf(string node, string board) =>
        _adopted.TryGetValue(node, out var adopted) && adopted.LastStates.TryGetValue(board, out var states) ? states : [];

    internal void Adopt(string node, AdoptedNode adopted) => _adopted[node] = adopted;

    internal void Release(string node) => _adopted.TryRemove(node, out _);
}

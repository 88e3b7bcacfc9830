using System.Collections.Concurrent;
using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Buses;
using Evok.Orleans.Grains.Placement;
using Evok.Orleans.Grains.Site;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Maps;
using Microsoft.Extensions.Logging;
using Orleans.Core.Internal;

namespace Evok.Orleans.Grains.Failover;

/// <summary>
/// Stands in for the failover buses of the nodes this controller declares <c>standby_for</c>. While such a node is
/// up, this reads its failover boards' states once a <see cref="SnapshotPeriod"/>. When the membership declares it
/// dead and this silo is the one to stand in (<see cref="NodeOwnership"/>), it takes the boards over: their pollers
/// start here, from the states last read, so their first scan publishes only what changed while nobody polled; their
/// changes go out through this controller's sinks and webhooks. When the node is back, its buses are stopped here and
/// its grains deactivated, so its own silo is the only one polling them again.
/// </summary>
internal sealed partial class FailoverStandby(
    SiteConfiguration site,
    NodeMaps maps,
    NodeOwnership ownership,
    BusRegistry buses,
    IGrainFactory grains,
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    NodeGrainDirectory directory,
    ILogger<FailoverStandby> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>
    /// How often a standby reads the boards it may have to take over: a change in the last period before the node
    /// died may be published twice (once by each), never lost.
    /// </summary>
    public static readonly TimeSpan SnapshotPeriod = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, ImmutableArray<DeviceState>> _lastStates = new(StringComparer.Ordinal);
    private readonly HashSet<string> _adopted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _mismatched = new(StringComparer.Ordinal);
    private Task _running = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(FailoverStandby), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.WhenAll(ReadPeriodicallyAsync(_stopping.Token), FollowMembershipAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running;
    }

    /// <summary>
    /// Reads the boards of the nodes that are up, then checks who stands in for whom (a membership update that was
    /// missed, or silo metadata that arrived late, is caught up with here).
    /// </summary>
    private async Task ReadPeriodicallyAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(SnapshotPeriod);
        do
        {
            await Task.WhenAll(site.StandbyNodes.Where(ownership.IsUp).Select(ReadAsync));
            await ReconcileAsync();
        }
        while (await Tick(timer, stopping));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A node declared dead is taken over at once, not at the next read.</summary>
    private async Task FollowMembershipAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var _ in membership.MembershipUpdates.WithCancellation(stopping))
            {
                await ReconcileAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReconcileAsync()
    {
        await _gate.WaitAsync();
        try
        {
            foreach (var node in site.StandbyNodes)
            {
                var mine = !ownership.IsUp(node) && local.SiloAddress.Equals(ownership.SiloOf(node));
                if (mine && !_adopted.Contains(node))
                {
                    await AdoptAsync(node, site.StandbyFor(node));
                }
                else if (!mine && _adopted.Contains(node))
                {
                    await ReleaseAsync(node, site.StandbyFor(node));
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(exception);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The states the node's failover boards publish now. Each read waits one period at most: a controller that lost
    /// power on a real network does not refuse the call, it never answers, and the last good read is what counts.
    /// </summary>
    private async Task ReadAsync(string node)
    {
        var pollers = new NodeGrains(grains, node);
        await Task.WhenAll(site.StandbyFor(node).Devices.Select(async device =>
        {
            try
            {
                _lastStates[NodeKey.Qualify(node, device.Name)] = await pollers.Poller(device.Name).GetStatesAsync().WaitAsync(SnapshotPeriod);
            }
            catch (Exception exception) when (exception is NodeUnavailableException or TimeoutException or OrleansException)
            {
                // Gone between the membership check and the call, or not answering: the last good read stays.
            }
            catch (KeyNotFoundException exception)
            {
                // A standby copy that does not match its node's config: say so once, keep standing by for the rest.
                if (_mismatched.TryAdd(NodeKey.Qualify(node, device.Name), 0))
                {
                    LogMismatch(node, device.Name, exception.Message);
                }
            }
        }));
    }

    private async Task AdoptAsync(string node, SiteConfiguration standby)
    {
        // Named as on their node, glob_dev_id included (a position in that node's file, which this one cannot know).
        var lastStates = standby.Devices.ToDictionary(
            device => device.Name, device => _lastStates.GetValueOrDefault(NodeKey.Qualify(node, device.Name), []), StringComparer.Ordinal);
        var channels = standby.Channels.Select(channel => channel with
        {
            Devices = [.. channel.Devices.Select(device => lastStates[device.Name].OfType<ModbusSlaveState>().FirstOrDefault() is { } slave
                ? device with { GlobalDeviceId = slave.GlobalDeviceId }
                : device)],
        });
        maps.Adopt(node, new AdoptedNode(new SiteMap(standby with { Channels = [.. channels] }), lastStates));
        _adopted.Add(node);

        var pollers = new NodeGrains(grains, node);
        try
        {
            await Task.WhenAll(standby.Devices.Select(device => pollers.Poller(device.Name).StartAsync()));
        }
        catch
        {
            // Not all of them run here: undo, and take the node over again at the next check.
            await ReleaseAsync(node, standby);
            throw;
        }

        LogAdopted(node, string.Join(", ", standby.Channels.Select(channel => channel.Name)), standby.Devices.Count());
    }

    private async Task ReleaseAsync(string node, SiteConfiguration standby)
    {
        await buses.ReleaseAsync(node);
        var activations = directory.ActivationsOf(node).ToList();
        await Task.WhenAll(activations.Select(grain => grains.GetGrain(grain).AsReference<IGrainManagementExtension>().DeactivateOnIdle().AsTask()));
        maps.Release(node);
        _adopted.Remove(node);
        LogReleased(node, string.Join(", ", standby.Channels.Select(channel => channel.Name)), activations.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} is down: polling its failover buses {Channels} ({Devices} devices) here until it is back")]
    private partial void LogAdopted(string node, string channels, int devices);

    [LoggerMessage(Level = LogLevel.Information, Message = "No longer standing in for node {Node}: stopped polling its failover buses {Channels} here ({Grains} grains deactivated)")]
    private partial void LogReleased(string node, string channels, int grains);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Standing by for node {Node}'s device {Device}, which that node does not poll: {Reason}; check that the standby_for channel is a copy of that node's")]
    private partial void LogMismatch(string node, string device, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Standing in for failover buses failed; trying again")]
    private partial void LogFailed(Exception exception);
}

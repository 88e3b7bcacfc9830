using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Hosting;

/// <summary>Starts every device poller once the silo is active (after streams and subscribers are ready).</summary>
internal sealed class PollerStartup(SiteMap site, IGrainFactory grains) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PollerStartup), ServiceLifecycleStage.Active, StartAsync, _ => Task.CompletedTask);

    private Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(site.Boards.Select(board => grains.GetGrain<IModbusDevicePollerGrain>(board.Name).StartAsync()));
}
